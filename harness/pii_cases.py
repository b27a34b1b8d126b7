"""Labelled lines for the PII guard, and how to score a detector against them.

Every line is invented, in the style of CoP session notes; numbers come from reserved or
fictional ranges (555-01xx, 07700 900xxx, 0491 570 xxx, example.org). Each case lists the
exact substrings that are personal data and their kind; negatives list none and carry the
numbers and dates that a naive detector mistakes for personal data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ingest.pii import Finding, PiiKind

E, P, A, C = PiiKind.EMAIL, PiiKind.PHONE, PiiKind.POSTAL_ADDRESS, PiiKind.POSTAL_CODE
D, G, H, N = PiiKind.DATE_OF_BIRTH, PiiKind.GOVERNMENT_ID, PiiKind.HEALTH_CARD, PiiKind.NAME

NAMES = ("Sam", "Jordan", "Riley", "Mia Tran", "Liam O'Connor", "Aroha", "Priya", "Noah")


@dataclass(frozen=True)
class Case:
    text: str
    expected: tuple[tuple[PiiKind, str], ...] = ()

    @property
    def spans(self) -> list[tuple[PiiKind, int, int]]:
        """Where each expected substring is: the next whole-word occurrence after the last."""
        spans, pos = [], 0
        for kind, sub in self.expected:
            m = re.compile(rf"(?<!\w){re.escape(sub)}(?!\w)").search(self.text, pos)
            if m is None:
                m = re.compile(rf"(?<!\w){re.escape(sub)}(?!\w)").search(self.text)
            assert m is not None, f"{sub!r} not in {self.text!r}"
            spans.append((kind, m.start(), m.end()))
            pos = m.end()
        return spans


def c(text: str, *expected: tuple[PiiKind, str]) -> Case:
    return Case(text, expected)


POSITIVES: tuple[Case, ...] = (
    # email
    c("Send the consent form to jordan.parent@example.org by Friday.",
      (E, "jordan.parent@example.org")),
    c("Mum prefers email: k.nguyen+school@example.com", (E, "k.nguyen+school@example.com")),
    c("cc: facilitator@cop.example.net re: next session", (E, "facilitator@cop.example.net")),
    c("AK emailed dad (p.okafor@mail.example.org) about the referral",
      (E, "p.okafor@mail.example.org")),
    c("Contact <r.singh@example.ca> for the respite form.", (E, "r.singh@example.ca")),
    c("Foster carer's email is LEE_family@example.org.au.", (E, "LEE_family@example.org.au")),
    c("emailed grandma at nana.beth@example.co.uk - no reply yet",
      (E, "nana.beth@example.co.uk")),
    c("Teacher: ms.ortiz@school.example.edu, prefers mornings",
      (E, "ms.ortiz@school.example.edu")),
    c("JS to forward notes to case.worker2@example.org", (E, "case.worker2@example.org")),
    c("Email: mia.tran@example.org; phone to follow", (E, "mia.tran@example.org")),
    c("Sam's mum: sam.mum@example.org", (N, "Sam"), (E, "sam.mum@example.org")),
    # phone
    c("AK to call mum on 0412 345 678 re: kinder visit", (P, "0412 345 678")),
    c("Dad's mobile 07700 900123, best after 5pm", (P, "07700 900123")),
    c("Grandma's landline (416) 555-0199, leave a message", (P, "(416) 555-0199")),
    c("Call the foster carer at 416-555-0142 before Tuesday's visit.", (P, "416-555-0142")),
    c("Aunt: 647.555.0187 (evenings only)", (P, "647.555.0187")),
    c("Mum now on +1 416 555 0173 after moving", (P, "+1 416 555 0173")),
    c("UK number for dad: +44 20 7946 0958", (P, "+44 20 7946 0958")),
    c("Kinship carer mobile: +61 491 570 156", (P, "+61 491 570 156")),
    c("Mum's new number 0491 570 110, old one disconnected", (P, "0491 570 110")),
    c("Ring school counsellor on (03) 9555 0123 ext 4", (P, "(03) 9555 0123")),
    c("Dad's work: 020 7946 0321", (P, "020 7946 0321")),
    c("Left voicemail at 1-800-555-0199 (family line)", (P, "1-800-555-0199")),
    c("call mum 555-0147 after 3:30pm", (P, "555-0147")),
    c("ph 9555 0188 - after school only", (P, "9555 0188")),
    c("Youth worker mob. 0412-345-999", (P, "0412-345-999")),
    c("Text her on 07700 900 456 if no answer", (P, "07700 900 456")),
    c("Stepdad (289) 555-0110 asked for a callback", (P, "(289) 555-0110")),
    c("Mum: +44 7700 900982", (P, "+44 7700 900982")),
    c("Carer's cell 905 555 0134", (P, "905 555 0134")),
    c("Nan's home phone +44 (0)161 496 0000, mornings", (P, "+44 (0)161 496 0000")),
    c("Riley's dad 0491570133 - no voicemail set up", (N, "Riley"), (P, "0491570133")),
    c("Call Sam's mum on 416 555 0162 to confirm the 19 May visit",
      (N, "Sam"), (P, "416 555 0162")),
    # date of birth
    c("DOB 12/03/2016, Year 4 at Northside PS", (D, "12/03/2016")),
    c("D.O.B.: 2015-07-21", (D, "2015-07-21")),
    c("Date of birth: 4 June 2014", (D, "4 June 2014")),
    c("born on 3 May 2017 in Hamilton", (D, "3 May 2017")),
    c("Riley (b. 09/11/2012) joined the group", (N, "Riley"), (D, "09/11/2012")),
    c("Twins born 22.08.2018, both at kinder", (D, "22.08.2018")),
    c("Her birthday is 14 February, mum asked we mark it", (D, "14 February")),
    c("dob: 7/1/15", (D, "7/1/15")),
    c("born March 2019, premature", (D, "March 2019")),
    c("Date of birth 2010-12-01; referred by school nurse", (D, "2010-12-01")),
    c("Youngest was born on the 3rd of October 2020.", (D, "3rd of October 2020")),
    c("DOB Oct 5, 2013 (check with mum)", (D, "Oct 5, 2013")),
    c("birthdate: 30/06/2011", (D, "30/06/2011")),
    c("Client DOB - 01.02.2009", (D, "01.02.2009")),
    c("Was born 11 Nov 2016 at the Royal Women's", (D, "11 Nov 2016")),
    c("Kid's birthday: 2nd August", (D, "2nd August")),
    c("Noah, 15/09/2014 (DOB), started Year 6", (N, "Noah"), (D, "15/09/2014")),
    c("Jordan's date of birth is 2013-02-28 per the referral", (N, "Jordan"),
      (D, "2013-02-28")),
    # postal address and postal code
    c("Family moved to 42 Wallaby Way, Sydney NSW 2000", (A, "42 Wallaby Way"), (C, "2000")),
    c("Home visit at 221B Baker Street on Thursday", (A, "221B Baker Street")),
    c("New address: Apt 4, 118 Maple Ave, Toronto ON M5V 3L9",
      (A, "Apt 4, 118 Maple Ave"), (C, "M5V 3L9")),
    c("Unit 12/45 Ocean Parade, moving again next month", (A, "Unit 12/45 Ocean Parade")),
    c("Dad staying at 7 Kingfisher Crescent with his sister", (A, "7 Kingfisher Crescent")),
    c("Drop the food hamper at 1600 Lakeshore Blvd. W by 4pm",
      (A, "1600 Lakeshore Blvd. W")),
    c("Grandparents live at 9 Elm Court", (A, "9 Elm Court")),
    c("Meet mum at 33 St Clair Avenue West, suite 200",
      (A, "33 St Clair Avenue West, suite 200")),
    c("Emergency placement: 15 Rosewood Drive, Oakville", (A, "15 Rosewood Drive")),
    c("flat 3, 27 Holloway Road, London N7 8JG", (A, "flat 3, 27 Holloway Road"),
      (C, "N7 8JG")),
    c("12/8 Beach Road St Kilda VIC 3182", (A, "12/8 Beach Road"), (C, "3182")),
    c("Aroha's nan lives at 5 Kowhai Lane", (N, "Aroha"), (A, "5 Kowhai Lane")),
    c("Postcode SW1A 1AA on the referral form", (C, "SW1A 1AA")),
    c("Family relocated to the K1A 0B1 area", (C, "K1A 0B1")),
    c("mailing to Springfield, IL 62704", (C, "62704")),
    c("ZIP: 90210 on intake sheet", (C, "90210")),
    c("They live in Carlton VIC 3053 now", (C, "3053")),
    c("Perth WA 6000 office to take over", (C, "6000")),
    c("Postcode is M1 1AE", (C, "M1 1AE")),
    c("moved to Halifax NS B3H 4R2", (C, "B3H 4R2")),
    c("Brisbane QLD 4000 team has the file", (C, "4000")),
    c("Nashville, TN 37201-1234", (C, "37201-1234")),
    # government id
    c("Mum's SIN 046 454 286 was on the form - shred it", (G, "046 454 286")),
    c("Dad's social security number is 512-34-6789", (G, "512-34-6789")),
    c("NI number AB123456C needed for the benefit claim", (G, "AB123456C")),
    c("NI no: JG 10 37 42 A", (G, "JG 10 37 42 A")),
    c("Social insurance number: 130 692 544", (G, "130 692 544")),
    c("SIN 123-456-789 written on the back of the form", (G, "123-456-789")),
    c("Benefits letter shows 046-454-286", (G, "046-454-286")),
    c("SSN 219-09-9999 in the US school records", (G, "219-09-9999")),
    # health card
    c("OHIP 1234-567-890-AB on the consent form", (H, "1234-567-890-AB")),
    c("Health card: 9876 543 210 XY, expires 2027", (H, "9876 543 210 XY")),
    c("NHS number 943 476 5919 from the GP letter", (H, "943 476 5919")),
    c("Medicare number 2123 45670 1 for the psych referral", (H, "2123 45670 1")),
    c("health card number is 5544332211", (H, "5544332211")),
    c("Child's NHS no. 401 023 2137", (H, "401 023 2137")),
    c("OHIP# 4455 667 788", (H, "4455 667 788")),
    c("Ontario card 2468-135-790-QZ photocopied", (H, "2468-135-790-QZ")),
    # names
    c("Sam refused to join circle time again", (N, "Sam")),
    c("Check in with Jordan's mum about sleep", (N, "Jordan")),
    c("mia tran attended with her foster carer", (N, "mia tran")),
    c("Liam O'Connor (Year 8) disclosed bullying", (N, "Liam O'Connor")),
    c("Aroha and Priya both went to the camp", (N, "Aroha"), (N, "Priya")),
    c("SAM was calmer after the sensory break", (N, "SAM")),
    c("Noah's nan will do pickups", (N, "Noah")),
    c("Mia  Tran moved schools", (N, "Mia  Tran")),
    c("Follow up: Sam, Riley.", (N, "Sam"), (N, "Riley")),
    c("Worked with Riley on the feelings chart", (N, "Riley")),
    c("priya's teacher reported she is settling", (N, "priya")),
    c("Samuel and Sam are not the same person", (N, "Sam")),
    # mixed, and harder lines (some are known misses: see ingest/pii.py limits)
    c("Mum's mobile is 0412345678 and dad's 0498 765 432",
      (P, "0412345678"), (P, "0498 765 432")),
    c("Grandad: 01632 960 123", (P, "01632 960 123")),
    c("tel +353 1 555 0100", (P, "+353 1 555 0100")),
    c("Reach carer at 613-555-0111 or by email carer@example.org",
      (P, "613-555-0111"), (E, "carer@example.org")),
    c("Phone: 555 0123", (P, "555 0123")),
    c("Reached Jordan via jordan.r@example.org and 0491 570 147",
      (N, "Jordan"), (E, "jordan.r@example.org"), (P, "0491 570 147")),
    c("Mum (Priya) asked to be called on 0491 570 000 not the landline",
      (N, "Priya"), (P, "0491 570 000")),
    c("DOB: 3rd June 2015", (D, "3rd June 2015")),
    c("birthday 05/06", (D, "05/06")),
    c("age 12 (DOB 01/02/2013)", (D, "01/02/2013")),
    c("was born on Feb 29th, 2016", (D, "Feb 29th, 2016")),
    c("she turned 7 on 3 June", (D, "3 June")),
    c("Lives at 14 Ash Grove, Leeds LS6 2AB", (A, "14 Ash Grove"), (C, "LS6 2AB")),
    c("Address: 88 King St E, Hamilton ON L8N 1A9", (A, "88 King St E"), (C, "L8N 1A9")),
    c("Lives on Elm St near the school", (A, "Elm St")),
    c("PO Box 123, Melbourne VIC 3001", (A, "PO Box 123"), (C, "3001")),
    c("Moved to 250 Yonge St., Unit 1203", (A, "250 Yonge St., Unit 1203")),
    c("SIN: 046454286", (G, "046454286")),
    c("OHIP: 1234567890", (H, "1234567890")),
    c("NHS 9434765919", (H, "9434765919")),
    c("Sam-Lee went home early", (N, "Sam")),
)

NEGATIVES: tuple[Case, ...] = tuple(
    c(line)
    for line in (
        "CoP meeting on 2026-03-12 at 3:30pm in Room 204",
        "Next session 12/03/2026, bring the v2 handout",
        "72-hour contact met in 17 of 19 referrals this quarter",
        "Year 8 group ran 19 times since September",
        "See p. 3 of the trauma-informed guide",
        "Budget for snacks: $1,200 for 2026-2027",
        "Ages 12-15, mixed group; 13 of 19 invited",
        "ISBN 978-0-306-40615-7 for the attachment reading",
        "Reading: doi:10.1037/0003-066X.55.1.5",
        "A 4-year-old in the kinder room was unsettled",
        "Attendance rose 85% over 6 weeks",
        "Grade 5 class, 24 students, 3 EAs",
        "Term 2 starts 28 April",
        "Reviewed pages 112-118 together",
        "Meeting moved to Thursday 14 May, 10:00-11:30",
        "Kids Helpline is 1800 55 1800",
        "Funding code 2026-0045 applies",
        "Version 3.2.1 of the intake template",
        "Scores went from 12/20 to 17/20",
        "Children born in 2015 showed the biggest gains",
        "Session ran 9:00-10:30; 6 of 8 families attended",
        "Approx. 1,250 referrals in 2025",
        "Room 12B, level 3, building 7",
        "The 2019 report (p. 45) found 3x more disclosures",
        "Ratio 1:4 for under-3s",
        "Week 7 of the 10-week Circle of Security program",
        "Ages 0-5 early years stream",
        "Table 2.3 shows 45.6% completion",
        "Court hearing on 3 March; 2 Family Court reports filed",
        "Invoice #4471 paid, $350.00",
        "ISBN 0306406152 listed in the reading pack",
        "Read Smith (2020), pp. 45-67",
        "Call back in 2 weeks re: 3 outstanding forms",
        "Text the group on Thursday at 4:15pm",
        "Plan for 2026-2027 and 2027-2028 school years",
        "Cohort of 2018-2019 had 112 participants",
        "Step 4 of 12 completed",
        "Temperature 37.5 at 10:45am; dose 2.5 mL",
        "Sammy, Samantha and Samuel are not on the list",
        "It was the same story as last week",
        "NSW Health guidelines (2024) section 4.2",
        "Youth aged 16 to 24; 1 in 5 report anxiety",
        "DSM-5 criteria, ICD-10 code F43.1",
        "Meeting ID 845 2291 7730 for the video call",
        "Phone tree activated 3 times in 2025",
        "Born to Thrive program, cohort 2 started 12/02/2026",
        "Birthday party budget approved: $80",
        "Shared the DOB field guidance in v2 of the form",
        "Call 2026 2027 planning day confirmed",
        "See https://example.org/reports/2026-03-12/416-555-0199",
        "Jordanne and Nicola ran the Year 10 session",
        "Rooms 101-104 booked 9am-3pm, 40 chairs",
        "Q3 2025: 214 contacts, 198 within 72 hours",
        "Referral rate 1 in 12; median wait 21 days",
        "Mentioned NHS 111 and Lifeline 13 11 14",
        "Met 3 times in Term 1 2026 at 10:30",
        "In 1999 Main Street shops closed",
        "ABN 51 824 753 556 for the invoice",
        "ACN 004 085 616 on the contract",
        "Grant ref 123 456 789",
        "Interpreter booked (Ref 0412 3456)",
        "Case #2026-00123 closed",
        "Invoice 0012 345 678",
        "Open 24/7, ratio 3/4",
        "Session on Tuesday, 3 March 2026, 14:00 - 16:00",
        "Next review 2026/03/12",
        "Budget 2,500.00 - 3,000.00",
        "Call 1300 555 015 for the service line",
    )
)

CASES: tuple[Case, ...] = POSITIVES + NEGATIVES


@dataclass
class Tally:
    """Counts for one kind: findings that matched, findings made, expected spans found, expected."""

    found_right: int = 0
    found: int = 0
    expected_hit: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found_right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.expected_hit / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(
    detect: Callable[[str, Sequence[str]], list[Finding]], cases: Sequence[Case] = CASES
) -> dict[PiiKind | None, Tally]:
    """Tallies per kind and overall (key None); a span counts when kinds match and it overlaps."""
    tallies: dict[PiiKind | None, Tally] = {k: Tally() for k in PiiKind}
    tallies[None] = Tally()

    def hits(kind: PiiKind, start: int, end: int, others: list[tuple[PiiKind, int, int]]) -> bool:
        return any(k == kind and s < end and start < e for k, s, e in others)

    for case in cases:
        found = [(f.kind, f.start, f.end) for f in detect(case.text, NAMES)]
        expected = case.spans
        for spans, against, made in ((found, expected, True), (expected, found, False)):
            for kind, start, end in spans:
                ok = hits(kind, start, end, against)
                for t in (tallies[kind], tallies[None]):
                    if made:
                        t.found, t.found_right = t.found + 1, t.found_right + ok
                    else:
                        t.expected, t.expected_hit = t.expected + 1, t.expected_hit + ok
                if not ok:
                    what = "false" if made else "missed"
                    tallies[kind].misses.append(f"{what} {kind}: {case.text[start:end]!r} in "
                                                f"{case.text!r}")
    return tallies


# Names found without a list (ingest/pii_names.py): development cases, written apart from the
# held-out set in bench/pii_eval.jsonl, which is never used to tune the rules.
NAMES_IN_CONTEXT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Leo Brennan, aged 5, joined the nursery group this week.", ("Leo Brennan",)),
    ("Her daughter Anouk (3) is in the toddler room.", ("Anouk",)),
    ("Mum (Farida) asked about the transport form.", ("Farida",)),
    ("Spoke with Kofi's nan about the school concert.", ("Kofi",)),
    ("Maeve Doyle's teacher rang twice.", ("Maeve Doyle",)),
    ("The boy called Tobias refuses to eat lunch.", ("Tobias",)),
    ("Mrs Abernethy attended with her grandson.", ("Abernethy",)),
    ("Isla said she misses her dad.", ("Isla",)),
    ("Grandmother Hine Walker is the main carer.", ("Hine Walker",)),
    ("Brothers Idris and Tariq Mansour share a room.", ("Idris", "Tariq Mansour")),
    ("Foster carer: Dee Moss; child: Leon Yates, 9.", ("Dee Moss", "Leon Yates")),
    ("We placed the twins with the Hendersons.", ("Henderson",)),
    ("Visit to Jane Roe, DOB 14/03/2015", ("Jane Roe",)),
    ("Jayden Miller, aged 4", ("Jayden Miller",)),
    ("A 4-year-old called Rangi has started biting.", ("Rangi",)),
    ("Kwabena is 6 and loves the sandpit.", ("Kwabena",)),
    ("Yasmin, Year 5, is anxious about the move.", ("Yasmin",)),
    ("Stepdad Darren came to the review.", ("Darren",)),
    ("Ms Okonkwo, the class teacher, joined the call.", ("Okonkwo",)),
    ("Priya and Sunil's mum asked for a translator.", ("Priya", "Sunil")),
)

NOT_NAMES: tuple[str, ...] = (
    "AK and JM met child A and her mum on Tuesday.",
    "J.M. (Year 4) and child B both attended.",
    "The foster carer and the grandmother came to the meeting.",
    "Ruby and Rose are not on the list.",
    "Will the group meet again in June?",
    "Hope and courage were the words of the day.",
    "Masten (2001) argues resilience is ordinary.",
    "Lave, J. and Wenger, E. wrote the book on situated learning.",
    "Shonkoff and Garner (2012) describe toxic stress.",
    "Dr Kessler presented her findings on sleep.",
    "Members from Lincoln and Preston joined online.",
    "The Jordan River school cluster meets in May.",
    "Victoria Police joined the family violence forum.",
    "Placement moves: reducing the Harm of a move for her son.",
    "The April-May round went well for the 4-year-old.",
    "The Circle of Security course runs on Thursdays in August.",
    "Kin Connect carers' morning tea was full again.",
    "Journal of Child Psychology and Psychiatry, 59(4).",
    "Youth Outreach team lead, 2 hrs/month.",
    "Reflective Supervision for Child and Youth Practitioners",
    "Skip a month during school holidays.",
    "Children born in 2015 showed the biggest gains.",
)
