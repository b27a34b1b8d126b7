"""Word lists for finding people's names in session notes: cues around a name and words that
only look like names.

Lower case throughout; the name finder compares case-folded, accent-stripped words. Each set
says what it is for; a word may be in more than one.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FAMILY = _words(
    """mum mom mummy mommy mother dad daddy father parent stepdad stepmum stepmom stepfather
    stepmother step-dad step-mum sister brother sibling half-sister half-brother stepsister
    stepbrother son daughter stepson stepdaughter grandmother grandfather grandma grandpa
    grandad granddad grandparent gran nan nana nanna nanny poppa pop-pop aunt auntie aunty
    uncle cousin niece nephew carer caregiver guardian partner boyfriend girlfriend husband
    wife twin baby infant toddler newborn mums moms mothers dads fathers sisters brothers
    sons daughters twins cousins grandson granddaughter whanau whānau"""
)
"""Family and care roles: "her son Jamal", "Mum (Priya)", "Tama's nan"."""

CHILD = _words(
    """child kid boy girl student pupil learner teen teenager youngster client participant
    resident person man woman lad youth"""
)
"""Words for the young person a note is about: "student Ana", "child: Leo Park"."""

STAFF = _words(
    """teacher worker caseworker counsellor counselor nurse facilitator mentor coordinator
    principal therapist psychologist paediatrician pediatrician gp interpreter officer
    educator aide coach tutor supervisor elder chaplain volunteer"""
)
"""Practitioners named by role: "teacher Ms Roy", "family worker Dana"."""

TITLES = _words("mr mrs ms miss mx master")
"""Titles that come before a person's surname; Dr and Prof mark professionals and authors."""

PROFESSIONAL_TITLES = _words("dr prof professor sir dame rev reverend judge justice")

PERSONAL = _words(
    """teacher carer worker caseworker counsellor school class classroom behaviour behavior
    attendance speech reading writing hair uniform weight health sleep eating mood anxiety
    placement file case referral birthday diagnosis medication progress needs friends friend
    bedroom bed home house family siblings room lunch wellbeing report plan bike drawing
    drawings poem story words voice name key kinder kindy nursery playgroup preschool
    daycare homework first new own older younger little big best favourite favorite
    biological birth foster kinship step ex siblings anger meltdowns tantrums feelings
    progress iep ndis court hearing bail"""
) | FAMILY | STAFF
"""Nouns after a possessive that make it a person's: "Freya's speech", "Dev's grandfather"."""

SCHOOL = _words(
    """school class classroom teacher kinder kindy kindergarten nursery playgroup preschool
    daycare homework recess lunchtime principal suspended excluded expelled detention
    timetable uniform"""
)
"""Words that place a sentence in a child's school day."""

CARE = _words(
    """foster kinship placement respite refuge custody bail disclosed disclosure self-harm
    self-harming bullied bullying bruises arrested missing hospital nightmares tantrum
    meltdown"""
)
"""Words that place a sentence in one child's or family's care."""

PRONOUNS = _words("he she him his her hers himself herself")
"""Pronouns that show a sentence is about one person."""

MONTHS = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
WEEKDAYS = _words(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
    thurs fri sat sun"""
)
SEASONS = _words("spring summer autumn fall winter easter christmas xmas ramadan eid diwali")

PLACE_WORDS = _words(
    """street st road rd avenue ave lane drive crescent court boulevard way place terrace
    parade highway close grove square park reserve river lake bay beach island islands hill
    hills valley mountain mount north south east west central city town village shire
    council county state region district centre center hub library hospital clinic ward
    school primary secondary high college grammar academy university institute campus
    foundation trust fund charity society association network alliance council police
    church mosque temple synagogue house hall gardens program programme project service
    services team unit group club partnership initiative model framework approach method
    scale questionnaire index day week month award prize wish helpline line matters
    press books journal review"""
)
"""Words after a name-like word that make it a place or an organisation: "Jordan River",
"Victoria Police", "Paul Ramsay Foundation", "Winston's Wish"."""

PLACE_PREPOSITIONS = _words("in at from near around across outside inside towards via")
"""Words before a name-like word that usually make it a place: "moved from Hamilton"."""

DETERMINERS = _words("the a an these those each every any some another")
"""Words before a name-like word that make it a thing: "the Harm of a move", "a Grace period"."""

NAME_WORDS = _words("named called nicknamed")
"""Words that introduce a name: "a boy called Leo", "the girl, named Ana"."""

AMBIGUOUS = _words(
    """hope faith joy grace charity patience prudence mercy honor honour harmony destiny
    serenity trinity unity liberty justice precious star rose lily daisy poppy ivy holly
    iris violet jasmine hazel heather fern willow ruby amber jade pearl crystal coral opal
    ebony dawn sky river rain storm brook forest ocean meadow stone cliff dale glen heath
    rock will mark bill frank rob pat sue art guy jack nick chase hunter cash chance lane
    gene ray sandy rusty bob dean drew major king prince rich royal earl baron duke sterling
    page lee young sonny buddy angel happy lucky sunny bliss blue gray grey miles wade reed
    price bishop deacon archer marshall ranger tanner colt rex bear ace sage saffron ginger
    candy honey sugar kit kitty misty bonnie carol noel christian legend journey haven
    harbor harbour genesis nova summer autumn winter spring april may june august
    victoria sydney jordan florence georgia carolina virginia chelsea brooklyn dallas
    austin phoenix paris london kingston lincoln brighton hamilton adelaide darwin regina
    charlotte savannah india asia africa china melbourne wellington carlton preston
    richmond jackson houston denver camden chester sherwood clifton ashley madison
    """
) | MONTHS | WEEKDAYS | SEASONS
"""Given names that are also common words or place names: a name only with a clear cue."""

FUNCTION = _words(
    """the a an and or but of to in on at by for with from as is was are were be been has
    have had do did does not no yes this that these those there here then than our your
    their his her its my we you they he she it i me us them who whom which what when where
    why how all any both each every few more most other some such only own same so too very
    can will just should now also after before during next last first second third new old
    per via re cc fyi nb ps ok okay please thanks thank dear hi hello regards note notes
    action actions update updates agenda minutes item items attendees apologies present
    absent summary outcome outcomes discussion topic topics question questions reading
    readings session sessions meeting meetings term week year years grade level room
    step stage module unit table figure page chapter slide phase round cohort group part
    section version number case option goal plan principle point tip activity follow
    young little big older younger baby early late mid referral referrals review children
    kids students pupils learners teens teenagers youths clients participants people parents
    carers families"""
)
"""Words never taken as a name, whatever the lists say (sentence starts, note headings)."""

STOP = FUNCTION | FAMILY | CHILD | STAFF | TITLES | PROFESSIONAL_TITLES | MONTHS | WEEKDAYS
"""Never a name on their own, though a name may follow them."""
