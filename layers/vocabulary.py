"""The domain's controlled vocabularies: every enumerated term once, with its labels.

A term has a stable ``code`` (what the store keeps, never renamed) and its Czech and English
label. A :class:`Vocabulary` is the ordered terms of one kind (pin categories, feelings, …);
its ``group`` is the key prefix under which the user interface finds the labels
(``"pin.category"`` → ``"pin.category.drug_dealing"``). Other modules keep their familiar
names (``layers.schema.PIN_CATEGORIES``, ``layers.access.roles.ROLES``, …) by reading the
codes from here; the UI (``app.ui.i18n.label``) and the command line read the labels from here.

This module imports nothing of the project, so every other module may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

C = TypeVar("C", str, int)

#: Languages every label exists in; Czech is the default.
LANGUAGES: Final = ("cs", "en")

#: Privacy threshold: the smallest number of sensitive answers a public cell or count may
#: show (fewer are withheld or shown as "fewer than k").
PUBLIC_K: Final = 5


@dataclass(frozen=True)
class Term(Generic[C]):
    """One enumerated term: its stable ``code``, labels, and other words meaning it
    (``synonyms``, lower case, as found in imported data)."""

    code: C
    cs: str
    en: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The label in ``lang``. Raises ``ValueError`` for an unknown language."""
        if lang == "cs":
            return self.cs
        if lang == "en":
            return self.en
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")


@dataclass(frozen=True)
class Vocabulary(Generic[C]):
    """The ordered terms of one kind; ``group`` is the UI's key prefix of their labels.

    Construction raises ``ValueError`` for a code given twice or an empty label.
    """

    group: str
    terms: tuple[Term[C], ...]

    def __post_init__(self) -> None:
        codes = [term.code for term in self.terms]
        if len(set(codes)) != len(codes):
            raise ValueError(f"vocabulary {self.group!r} repeats a code: {codes}")
        empty = [term.code for term in self.terms if not (term.cs and term.en)]
        if empty:
            raise ValueError(f"vocabulary {self.group!r} lacks labels of {empty}")

    @property
    def codes(self) -> tuple[C, ...]:
        """The codes in their defined order."""
        return tuple(term.code for term in self.terms)

    def __contains__(self, code: object) -> bool:
        return any(term.code == code for term in self.terms)

    def term(self, code: object) -> Term[C]:
        """The term of ``code`` (compared as text, so ``"3"`` finds feeling 3).

        Raises ``KeyError`` for an unknown code.
        """
        for term in self.terms:
            if term.code == code or str(term.code) == str(code):
                return term
        raise KeyError(f"{code!r} is not a code of {self.group!r}")

    def code(self, code: C) -> C:
        """``code`` itself once checked to be in the vocabulary (a named reference to a term).

        Raises ``KeyError`` for an unknown code.
        """
        return self.term(code).code

    def label(self, code: object, lang: str) -> str:
        """The label of ``code`` in ``lang``; an unknown code is shown as itself."""
        try:
            return self.term(code).label(lang)
        except KeyError:
            return str(code)

    def labels(self, lang: str, codes: Iterable[object] | None = None) -> dict[str, str]:
        """Labels in ``lang`` keyed by ``str(code)``: of ``codes``, or of every term.

        Raises ``KeyError`` for a code not in the vocabulary.
        """
        chosen = self.codes if codes is None else codes
        return {str(code): self.term(code).label(lang) for code in chosen}


# --- a fear pin -----------------------------------------------------------------------------

#: What a pin is about. The last two are the positive side of a feeling map.
PIN_CATEGORY: Final = Vocabulary("pin.category", (
    Term("drug_dealing", "Prodej drog", "Drug dealing"),
    Term("drunk_drugged", "Opilí nebo zfetovaní lidé", "Drunk or drugged people"),
    Term("syringes", "Injekční stříkačky", "Syringes"),
    Term("exhibitionist", "Exhibicionista", "Exhibitionist"),
    Term("aggressive_groups", "Agresivní skupiny (gangy)", "Aggressive groups (gangs)"),
    Term("racism", "Rasistické útoky nebo urážky", "Racist attacks or insults"),
    Term("dark_place", "Tmavé, neosvětlené místo", "Dark, unlit place"),
    Term("traffic", "Doprava", "Traffic"),
    Term("dogs", "Psi", "Dogs"),
    Term("abandoned_building", "Opuštěná budova", "Abandoned building"),
    Term("other", "Jiné", "Other"),
    Term("feel_good", "Tady se cítím dobře", "I feel good here"),
    Term("develop", "Místo, které by se mělo rozvíjet", "A place worth developing"),
))
#: The positive side of a feeling map (places people like, places to develop): not fears.
POSITIVE_CATEGORIES: Final = frozenset(PIN_CATEGORY.code(code) for code in (
    "feel_good", "develop"))
#: Categories that point at people; public views show them only aggregated to cells.
SENSITIVE_CATEGORIES: Final = frozenset(PIN_CATEGORY.code(code) for code in (
    "drug_dealing", "drunk_drugged", "syringes", "exhibitionist", "aggressive_groups", "racism"))
#: Feeling on a five-point scale: 1 = very afraid … 5 = safe.
FEELING: Final = Vocabulary("pin.feeling", (
    Term(1, "Velmi se bojím", "Very afraid"),
    Term(2, "Bojím se", "Afraid"),
    Term(3, "Nevím", "Not sure"),
    Term(4, "Spíše bezpečně", "Fairly safe"),
    Term(5, "Bezpečně", "Safe"),
))
#: Whether the participant saw it or heard about it.
SEEN_HEARD: Final = Vocabulary("pin.seen", (
    Term("own", "Viděl/a jsem to", "I saw it myself"),
    Term("heard", "Slyšel/a jsem o tom", "I heard about it"),
))
TIME_OF_DAY: Final = Vocabulary("pin.time", (
    Term("morning", "Ráno", "Morning"),
    Term("afternoon", "Odpoledne", "Afternoon"),
    Term("evening", "Večer", "Evening"),
    Term("night", "V noci", "At night"),
))
#: What the participant does about the place.
SAFETY_ACTION: Final = Vocabulary("pin.action", (
    Term("avoid", "Vyhýbám se tomu místu", "I avoid the place"),
    Term("with_older", "Jdu s někým starším", "I go with someone older"),
    Term("in_group", "Chodím ve skupině", "I go in a group"),
    Term("call_police", "Volám policii", "I call the police"),
    Term("nothing", "Nic", "Nothing"),
))
AGE_GROUP: Final = Vocabulary("age", (
    Term("6-12", "děti 6–12 let", "children 6–12"),
    Term("13-18", "mládež 13–18 let", "youth 13–18"),
    Term("adults", "dospělí", "adults"),
    Term("seniors", "senioři", "seniors"),
))
#: Moderation status of a pin.
PIN_STATUS: Final = Vocabulary("status", (
    Term("pending", "čeká na schválení", "pending"),
    Term("approved", "schváleno", "approved"),
    Term("rejected", "zamítnuto", "rejected"),
))
#: Column headers of an exported pin table (the CSV for a spreadsheet), in the order written.
EXPORT_COLUMN: Final = Vocabulary("export.column", (
    Term("kind", "Druh záznamu", "Record"),
    Term("lon", "Zeměpisná délka", "Longitude"),
    Term("lat", "Zeměpisná šířka", "Latitude"),
    Term("category", "Kategorie", "Category"),
    Term("feeling", "Pocit", "Feeling"),
    Term("seen", "Viděl/a, nebo slyšel/a", "Seen or heard"),
    Term("time_of_day", "Denní doba", "Time of day"),
    Term("safety_action", "Co dělá pro bezpečí", "What they do to stay safe"),
    Term("age_group", "Věková skupina", "Age group"),
    Term("status", "Stav moderace", "Moderation status"),
    Term("created_at", "Zaznamenáno", "Recorded"),
    Term("transcribed", "Přepsáno z papíru", "Transcribed from paper"),
    Term("synthetic", "Ilustrativní data", "Illustrative data"),
    Term("illustrative", "Ilustrativní záznam", "Illustrative row"),
    Term("place_note", "Pole mřížky", "Grid cell"),
    Term("comment", "Poznámka", "Note"),
    Term("comment_held", "Poznámka zadržena", "Note held"),
    Term("moderation_note", "Důvod moderace", "Moderation reason"),
    Term("count", "Počet odpovědí v buňce", "Answers in the cell"),
    Term("category_counts", "Kategorie v buňce", "Categories in the cell"),
))
#: What one row of an exported pin table is.
EXPORT_KIND: Final = Vocabulary("export.kind", (
    Term("pin", "odpověď", "answer"),
    Term("cell", "souhrnná buňka", "aggregated cell"),
))
#: Yes and no in an exported table.
YES_NO: Final = Vocabulary("yes_no", (
    Term(True, "ano", "yes"),
    Term(False, "ne", "no"),
))
#: Columns of an exported pin table whose codes the table shows as labels, and of what.
EXPORT_LABELS: Final[dict[str, Vocabulary[Any]]] = {
    "kind": EXPORT_KIND, "category": PIN_CATEGORY, "feeling": FEELING, "seen": SEEN_HEARD,
    "time_of_day": TIME_OF_DAY, "safety_action": SAFETY_ACTION, "age_group": AGE_GROUP,
    "status": PIN_STATUS, "transcribed": YES_NO, "synthetic": YES_NO, "comment_held": YES_NO,
    "illustrative": YES_NO}
#: How a mapping session collected its pins.
SESSION_METHOD: Final = Vocabulary("method", (
    Term("tablet", "tablet / velká obrazovka", "tablet / big screen"),
    Term("paper", "papírová mapa (přepis)", "paper map (transcribed)"),
    Term("imported", "import", "import"),
))
#: Kinds of a session's own questions: one option, several options, a 1–5 scale, a short text
#: (screened for personal data like a comment).
QUESTION_KIND: Final = Vocabulary("question.kind", (
    Term("single", "jedna možnost", "single choice"),
    Term("multiple", "více možností", "multiple choice"),
    Term("scale", "stupnice 1–5", "scale 1–5"),
    Term("text", "krátký text", "short text"),
))

# --- services and the town's context ----------------------------------------------------------

SERVICE_TYPE: Final = Vocabulary("service.type", (
    Term("police", "Policie ČR", "State police (PČR)"),
    Term("municipal_police", "Městská policie", "Municipal police",
         synonyms=("městská policie", "mestska policie", "obecní policie", "municipal")),
    Term("apk", "Asistenti prevence kriminality", "Crime-prevention assistants"),
    Term("nzdm", "Nízkoprahový klub pro děti a mládež", "Low-threshold youth club",
         synonyms=("nízkoprahové zařízení pro děti a mládež",
                   "nízkoprahová zařízení pro děti a mládež", "nzdm", "nízkoprahové zařízení",
                   "nízkoprahový klub")),
    Term("community_centre", "Komunitní centrum", "Community centre",
         synonyms=("komunitní centr",)),
    Term("school", "Škola", "School"),
    Term("social_service", "Sociální služba", "Social service"),
    Term("addiction_service", "Adiktologická služba", "Addiction service",
         synonyms=("kontaktní centra", "kontaktní centrum", "adiktolog", "protidrogov")),
    Term("debt_counselling", "Dluhová poradna", "Debt counselling"),
    Term("playground", "Hřiště a workout", "Playground / workout"),
))
#: Whom a service is for (the catalogue's filter; seed 004's target groups). ``synonyms`` are
#: fragments (lower case, matched without diacritics) of how registers and towns write them.
TARGET_GROUP: Final = Vocabulary("catalogue.target", (
    Term("children_youth", "Děti a mládež", "Children and youth",
         synonyms=("děti", "dítě", "mládež", "mladiství", "juvenile")),
    Term("families", "Rodiny s dětmi", "Families with children",
         synonyms=("rodiny", "rodina", "rodin s")),
    Term("addiction", "Lidé ohrožení závislostí", "People at risk of addiction",
         synonyms=("závislost", "návykov", "drog", "adiktolog")),
    Term("victims", "Oběti trestné činnosti", "Victims of crime",
         synonyms=("oběti", "oběť", "domácí násil", "victim")),
    Term("seniors", "Senioři", "Seniors", synonyms=("senior",)),
    Term("excluded", "Lidé ve vyloučených lokalitách", "People in excluded localities",
         synonyms=("vyloučen", "svl")),
    Term("homeless", "Lidé bez domova", "Homeless people",
         synonyms=("bez přístřeší", "bez domova", "bezdomov")),
    Term("offenders", "Lidé po výkonu trestu a pachatelé", "Offenders and ex-prisoners",
         synonyms=("výkonu trestu", "pachatel", "propuštěn")),
))
#: How a service is provided (the register's forms: pobytová, ambulantní, terénní).
SERVICE_FORM: Final = Vocabulary("catalogue.form", (
    Term("residential", "pobytová", "residential", synonyms=("pob", "pobytov")),
    Term("outpatient", "ambulantní", "outpatient", synonyms=("amb", "ambulantn")),
    Term("field", "terénní", "field", synonyms=("ter", "terénn")),
))
#: The catalogue's tabs, as seed 004 names the Ústecký kraj catalogue's areas.
CATALOGUE_TAB: Final = Vocabulary("catalogue.tab", (
    Term("prevention", "Prevence kriminality", "Crime prevention"),
    Term("drug_prevention", "Protidrogová prevence", "Drug prevention"),
    Term("families", "Služby pro rodiny s dětmi", "Services for families with children"),
))
#: Where a catalogue entry came from; a register entry is updated by re-imports.
ENTRY_ORIGIN: Final = Vocabulary("catalogue.origin", (
    Term("local", "doplněno v obci", "added locally"),
    Term("register", "Registr poskytovatelů sociálních služeb", "Register of social services"),
))
#: A provider's proposed change, until an editor decides on it.
PROPOSAL_STATUS: Final = Vocabulary("catalogue.proposal", (
    Term("pending", "čeká na schválení", "pending"),
    Term("approved", "schváleno", "approved"),
    Term("rejected", "zamítnuto", "rejected"),
))
CONTEXT_KIND: Final = Vocabulary("context.kind", (
    Term("road", "Silnice", "Roads"),
    Term("railway", "Železnice", "Railways"),
    Term("river", "Řeky", "Rivers"),
))
#: Bands of the social-exclusion index (points); a code names its lowest and highest points.
EXCLUSION_BAND: Final = Vocabulary("band", (
    Term("0-1", "0–1 žádné či nízké", "0–1 none or low"),
    Term("2-7", "2–7 střední", "2–7 medium"),
    Term("8-11", "8–11 zvýšené", "8–11 elevated"),
    Term("12-30", "12–30 vysoké", "12–30 high"),
))

#: Patterns of an emerging-hot-spot analysis (a space–time cube: Gi* per time step, the
#: Mann–Kendall trend of each cell's z-scores), as Esri's Emerging Hot Spot Analysis names them.
EMERGING_PATTERN: Final = Vocabulary("hotspots.emerging", (
    Term("new_hot", "Nové ohnisko", "New hot spot"),
    Term("consecutive_hot", "Souvislé ohnisko", "Consecutive hot spot"),
    Term("intensifying_hot", "Sílící ohnisko", "Intensifying hot spot"),
    Term("persistent_hot", "Trvalé ohnisko", "Persistent hot spot"),
    Term("diminishing_hot", "Slábnoucí ohnisko", "Diminishing hot spot"),
    Term("sporadic_hot", "Občasné ohnisko", "Sporadic hot spot"),
    Term("oscillating_hot", "Kolísající ohnisko", "Oscillating hot spot"),
    Term("historical_hot", "Dřívější ohnisko", "Historical hot spot"),
    Term("new_cold", "Nové klidné místo", "New cold spot"),
    Term("consecutive_cold", "Souvislé klidné místo", "Consecutive cold spot"),
    Term("intensifying_cold", "Sílící klidné místo", "Intensifying cold spot"),
    Term("persistent_cold", "Trvalé klidné místo", "Persistent cold spot"),
    Term("diminishing_cold", "Slábnoucí klidné místo", "Diminishing cold spot"),
    Term("sporadic_cold", "Občasné klidné místo", "Sporadic cold spot"),
    Term("oscillating_cold", "Kolísající klidné místo", "Oscillating cold spot"),
    Term("historical_cold", "Dřívější klidné místo", "Historical cold spot"),
    Term("no_pattern", "Bez vzoru", "No pattern"),
))
#: How a cell changed between two mapping rounds (:mod:`layers.hotspots.change`): its Gi*
#: hot-spot confidence in the earlier and in the later round.
CELL_CHANGE: Final = Vocabulary("hotspots.change", (
    Term("new", "Nové ohnisko", "New hot spot"),
    Term("intensifying", "Sílící ohnisko", "Intensifying hot spot"),
    Term("persistent", "Trvalé ohnisko", "Persistent hot spot"),
    Term("diminishing", "Slábnoucí nebo zaniklé ohnisko", "Diminishing or gone hot spot"),
    Term("none", "Ohnisko ani dříve, ani teď", "Hot spot neither then nor now"),
))
#: A plain-language explanation of each emerging-hot-spot pattern (for legends): Czech, English.
EMERGING_EXPLANATION: Final[dict[str, tuple[str, str]]] = {
    "new_hot": ("Kriminalita se tu nad okolí zvedla teprve v posledním období; dřív tu ohnisko "
                "nebylo.",
                "Crime clusters here only in the latest period; it never did before."),
    "consecutive_hot": ("Ohnisko je tu několik posledních období bez přerušení, dřív ne.",
                        "A hot spot for the last few periods in a row, never before."),
    "intensifying_hot": ("Ohnisko téměř po celou dobu a stále silnější.",
                         "A hot spot nearly all the time, and getting stronger."),
    "persistent_hot": ("Ohnisko téměř po celou dobu, beze změny síly.",
                       "A hot spot nearly all the time, with no change in strength."),
    "diminishing_hot": ("Ohnisko téměř po celou dobu, ale slábne.",
                        "A hot spot nearly all the time, but weakening."),
    "sporadic_hot": ("Ohnisko teď i dřív, ale jen občas, s přestávkami.",
                     "A hot spot now and on and off before."),
    "oscillating_hot": ("Teď ohnisko, ale v některém dřívějším období tu bylo nápadně klidně.",
                        "A hot spot now, but a cold spot in some earlier period."),
    "historical_hot": ("Dříve téměř stále ohnisko, v posledním období už ne.",
                       "A hot spot nearly all the time before, but not in the latest period."),
    "new_cold": ("Nápadně klidné teprve v posledním období.",
                 "Unusually quiet only in the latest period."),
    "consecutive_cold": ("Nápadně klidné několik posledních období bez přerušení, dřív ne.",
                         "Unusually quiet for the last few periods in a row, never before."),
    "intensifying_cold": ("Téměř stále nápadně klidné a klidu přibývá.",
                          "Unusually quiet nearly all the time, and ever more so."),
    "persistent_cold": ("Téměř stále nápadně klidné, beze změny.",
                        "Unusually quiet nearly all the time, with no change."),
    "diminishing_cold": ("Téměř stále nápadně klidné, ale klidu ubývá.",
                         "Unusually quiet nearly all the time, but less and less so."),
    "sporadic_cold": ("Nápadně klidné teď i dřív, ale jen občas.",
                      "Unusually quiet now and on and off before."),
    "oscillating_cold": ("Teď nápadně klidné, ale dříve tu bylo ohnisko.",
                         "Unusually quiet now, but a hot spot in some earlier period."),
    "historical_cold": ("Dříve téměř stále nápadně klidné, v posledním období už ne.",
                        "Unusually quiet nearly all the time before, but not lately."),
    "no_pattern": ("Žádný z uvedených vzorů; kriminalita tu není nápadně vyšší ani nižší než "
                   "jinde.",
                   "None of these patterns; crime here is neither notably higher nor lower."),
}
#: Crime categories of the police table "Statistický výkaz č. 1" (TSK ranges in the labels).
CRIME_TYPE: Final = Vocabulary("crime.type", (
    Term("total", "Celková kriminalita (TSK 101–903)", "All crime (TSK 101–903)"),
    Term("general", "Obecná kriminalita (101–690)", "General crime (101–690)"),
    Term("violent", "Násilná (101–190)", "Violent (101–190)"),
    Term("morality", "Mravnostní (201–290)", "Sexual offences (201–290)"),
    Term("burglary", "Krádeže vloupáním (311–390)", "Burglary (311–390)"),
    Term("theft_simple", "Krádeže prosté (411–490)", "Simple theft (411–490)"),
    Term("property", "Majetková (311–590)", "Property (311–590)"),
    Term("other_criminal", "Ostatní trestná (611–690)", "Other criminal (611–690)"),
    Term("remaining", "Zbývající (721–790)", "Remaining (721–790)"),
    Term("economic", "Hospodářská (801–890)", "Economic (801–890)"),
))

# --- strategies, public space and accounts ---------------------------------------------------

#: Status of a measure of a strategy.
MEASURE_STATUS: Final = Vocabulary("area.status", (
    Term("planned", "plánováno", "planned"),
    Term("in_progress", "probíhá", "in progress"),
    Term("done", "splněno", "done"),
    Term("suspended", "pozastaveno", "suspended"),
    Term("ended", "ukončeno", "ended"),
))
#: Aspects of a safety audit of a place (CPTED: lighting, natural surveillance, maintenance,
#: escape routes, activity) and the auditor's feeling of safety.
AUDIT_ASPECT: Final = Vocabulary("urban.aspect", (
    Term("lighting", "Osvětlení", "Lighting"),
    Term("visibility", "Přehlednost", "Visibility"),
    Term("maintenance", "Údržba", "Maintenance"),
    Term("escape_routes", "Únikové cesty", "Escape routes"),
    Term("activity", "Živost místa", "Activity"),
    Term("feeling", "Pocit bezpečí", "Feeling of safety"),
))
SERVICE_LINK_KIND: Final = Vocabulary("urban.links.kind", (
    Term("cooperation", "spolupráce", "cooperation"),
    Term("referral", "odkazování klientů", "referral"),
))
#: Why a patrol route runs as it does (``layers.patrol.route.Route.reason``); ``{farthest}`` and
#: ``{limit}`` are metres (the place farthest from a street line, the limit of an access leg).
ROUTE_REASON: Final = Vocabulary("patrol.reason", (
    Term("asked", "přímé úseky (na přání)", "straight lines (asked for)"),
    Term("no_streets", "přímé úseky, obec nemá načtenou uliční síť",
         "straight lines, no street network loaded"),
    Term("far_from_streets",
         "přímé úseky: jedno z míst leží {farthest} m od nejbližší ulice (víc než {limit} m, "
         "ulice tam nejsou sítí pro chůzi)",
         "straight lines: a place lies {farthest} m from the nearest street line "
         "(more than {limit} m: the lines are no walking network there)"),
    Term("disconnected", "přímé úseky: ulice nespojují všechna místa",
         "straight lines: the street lines do not connect every place"),
    Term("street_network",
         "po ulicích: nejkratší cesty po silnicích obce, od každého místa přímým úsekem "
         "k nejbližší silnici",
         "street network: shortest paths along the town's road lines (no street network "
         "loaded), with straight access legs from each place to the nearest road"),
    Term("own_streets",
         "po ulicích: nejkratší cesty po ulicích obce, každé místo posunuté k nejbližší ulici",
         "street network: shortest paths along the town's streets, each place moved to the "
         "nearest street"),
))
#: Where a place lies from its town's centre (``layers.naming``); ``{km}`` is the distance.
DIRECTION: Final = Vocabulary("direction", (
    Term("centre", "centrum", "town centre"),
    Term("n", "{km} km severně od centra", "{km} km north of the centre"),
    Term("ne", "{km} km severovýchodně od centra", "{km} km north-east of the centre"),
    Term("e", "{km} km východně od centra", "{km} km east of the centre"),
    Term("se", "{km} km jihovýchodně od centra", "{km} km south-east of the centre"),
    Term("s", "{km} km jižně od centra", "{km} km south of the centre"),
    Term("sw", "{km} km jihozápadně od centra", "{km} km south-west of the centre"),
    Term("w", "{km} km západně od centra", "{km} km west of the centre"),
    Term("nw", "{km} km severozápadně od centra", "{km} km north-west of the centre"),
))
#: Roles of users; ``public`` is the visitor who has not logged in.
ROLE: Final = Vocabulary("role", (
    Term("public", "veřejnost", "public"),
    Term("facilitator", "facilitátor", "facilitator"),
    Term("moderator", "moderátor", "moderator"),
    Term("police", "policie", "police"),
    Term("urbanist", "urbanista", "urbanist"),
    Term("strategy_coordinator", "koordinátor strategie", "strategy coordinator"),
    Term("admin", "správce", "admin"),
))

#: Every vocabulary with labels, by its UI group.
VOCABULARIES: Final[dict[str, Vocabulary[str] | Vocabulary[int]]] = {
    vocabulary.group: vocabulary for vocabulary in (
        PIN_CATEGORY, FEELING, SEEN_HEARD, TIME_OF_DAY, SAFETY_ACTION, AGE_GROUP, PIN_STATUS,
        SESSION_METHOD, QUESTION_KIND, SERVICE_TYPE, CONTEXT_KIND, EXCLUSION_BAND, CRIME_TYPE,
        MEASURE_STATUS,
        AUDIT_ASPECT, SERVICE_LINK_KIND, ROLE, TARGET_GROUP, SERVICE_FORM, CATALOGUE_TAB,
        ENTRY_ORIGIN, PROPOSAL_STATUS, ROUTE_REASON, DIRECTION, EMERGING_PATTERN, CELL_CHANGE,
        EXPORT_COLUMN, EXPORT_KIND, YES_NO)
}


def labels(group: str, lang: str, codes: Iterable[object] | None = None) -> dict[str, str]:
    """Labels in ``lang`` of the vocabulary ``group`` (e.g. ``"pin.category"``) keyed by
    ``str(code)``: of ``codes``, or of every term.

    Raises ``KeyError`` for an unknown group or a code not in it.
    """
    return VOCABULARIES[group].labels(lang, codes)


def label(group: str, code: object, lang: str) -> str:
    """The label of one code of the vocabulary ``group``; an unknown code is shown as itself.

    Raises ``KeyError`` for an unknown group.
    """
    return VOCABULARIES[group].label(code, lang)
