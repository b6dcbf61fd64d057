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
from typing import Final, Generic, TypeVar

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
#: How a mapping session collected its pins.
SESSION_METHOD: Final = Vocabulary("method", (
    Term("tablet", "tablet / velká obrazovka", "tablet / big screen"),
    Term("paper", "papírová mapa (přepis)", "paper map (transcribed)"),
    Term("imported", "import", "import"),
))

# --- services and the town's context ----------------------------------------------------------

SERVICE_TYPE: Final = Vocabulary("service.type", (
    Term("police", "Policie ČR", "State police (PČR)"),
    Term("municipal_police", "Městská policie", "Municipal police",
         synonyms=("městská policie", "mestska policie", "obecní policie", "municipal")),
    Term("apk", "Asistenti prevence kriminality", "Crime-prevention assistants"),
    Term("nzdm", "Nízkoprahový klub pro děti a mládež", "Low-threshold youth club",
         synonyms=("nízkoprahové zařízení pro děti a mládež",
                   "nízkoprahová zařízení pro děti a mládež", "nzdm")),
    Term("community_centre", "Komunitní centrum", "Community centre"),
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
        SESSION_METHOD, SERVICE_TYPE, CONTEXT_KIND, EXCLUSION_BAND, CRIME_TYPE, MEASURE_STATUS,
        AUDIT_ASPECT, SERVICE_LINK_KIND, ROLE, TARGET_GROUP, SERVICE_FORM, CATALOGUE_TAB,
        ENTRY_ORIGIN, PROPOSAL_STATUS)
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
