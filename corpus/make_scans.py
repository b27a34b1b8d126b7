"""Make the corpus's pictures: flipcharts and a sticky-note wall photographed at the end of a
meeting (PNG) and a scanned two-page handout (an image-only PDF), so that a new hub shows
what text recognition (OCR) does. Everything here was written for this project.

    .venv/bin/python corpus/make_scans.py   (also run by `make corpus`)

The pictures are drawn with Pillow and Debian's fonts (harness/scans.py): fonts-dejavu-core,
and fonts-comic-neue for the marker lettering (DejaVu Sans Oblique stands in without it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from harness.scans import (  # noqa: E402
    encoded,
    flipchart,
    page,
    photographed,
    scanned_pdf,
    sticky_wall,
)

MADE = time.strptime("2026-10-08", "%Y-%m-%d")  # fixed, so the file is the same each time
FLIPCHARTS = {
    "session-notes/early-years/2026-10-15-flipchart-calm-corner-review.png": [
        "Calm corner review - what we tried this term",
        "Feelings cards at the children's eye level",
        "A sand timer, so a break has an end the child can see",
        "Ask families what soothes their child at home and bring it in",
        "Next: photos of each corner for the family newsletter",
    ],
    "session-notes/youth-justice/2026-09-10-flipchart-first-week-home.png": [
        "The first week home after detention",
        "Meet the young person before release day, not after",
        "Phone credit and a bus pass ready on day one",
        "One adult who answers the phone after hours",
        "Check in on day two, day five and day seven",
        "Who brings this to the panel? The mentoring lead",
    ],
}
WALL = ("session-notes/school-mental-health/2026-10-22-sticky-wall-exam-stress.png", [
    "Start revision groups in week 3, not week 8",
    "Teach one breathing exercise in every class",
    "Quiet room open at lunch during exams",
    "Text parents the timetable early",
    "Year 12 mentors for Year 10",
    "Ask students what helps before we plan",
])
HANDOUT = ("session-notes/leadership-group/2026-10-08-handout-peer-reflection-pairs.pdf", [
    """Peer reflection in pairs: a handout for facilitators

Why pairs. In a large circle the confident speak and the new members listen. In pairs
everyone talks for ten minutes and is listened to for ten, and what is said stays between
two people unless both agree to bring it back to the group.

Before the meeting. Send members one prompt a week ahead, for example: a moment this month
when a young person surprised you. Ask them to pick something small and recent. Big
incidents belong in supervision, not in a twenty-minute exercise.

Pairing. Mix services and roles, so a teacher may sit with a residential worker and a
family-support worker with a youth justice caseworker. Change the pairs every term.""",
    """Running the twenty minutes

First ten minutes: the speaker tells the moment. The listener does not give advice. They
ask three open questions, such as what did you notice in yourself, what else might have
been going on for the young person, and what would you try next time.

Second ten minutes: swap roles. Keep time with a phone timer so nobody has to interrupt.

Bringing it back. Each pair offers one idea to the whole group, not the story itself. The
facilitator writes the ideas on the flipchart and photographs it for the meeting notes.

What members told us. After two terms, most members said the pairs were the part of the
meeting they would least want to lose, and several said it was the first time another
service had asked them how their work actually felt.""",
])


def photo_file(image: Image.Image, seed: int) -> bytes:
    """A phone photo of a sheet, made smaller as a phone's 'medium' size would be."""
    photo = photographed(image, seed=seed, skew=2.5, blur=1.0, shade=0.3)
    photo.thumbnail((1400, 1400))
    return encoded(photo, "PNG")


def scanned(image: Image.Image) -> Image.Image:
    """A page as an office scanner returns it: a little crooked and a little grey."""
    crooked = image.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return crooked.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: min(v, 245))


def main() -> None:
    for seed, (name, lines) in enumerate(FLIPCHARTS.items(), start=1):
        (HERE / name).write_bytes(photo_file(flipchart(lines, seed=seed), seed))
    name, notes = WALL
    (HERE / name).write_bytes(photo_file(sticky_wall(notes, seed=3), 3))
    name, pages = HANDOUT
    data = scanned_pdf([scanned(page(text)) for text in pages],
                       title="Peer reflection in pairs: a handout for facilitators",
                       author="Leadership Group",
                       keywords="community-of-practice, facilitation, mentoring-and-peer-support",
                       creationDate=MADE, modDate=MADE)
    (HERE / name).write_bytes(data)
    for path in [*FLIPCHARTS, WALL[0], HANDOUT[0]]:
        print(f"{path}: {(HERE / path).stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
