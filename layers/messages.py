"""The texts of every error code, in Czech and English: the one catalogue.

:data:`MESSAGES` maps a stable code to its :class:`Text`; the texts are ``str.format`` templates
filled from the error's params. A template need not use every param: Czech wording may leave
out an English-only detail (e.g. the English noun a computation names its points by). A param
that is itself an error (it has ``message(lang)``) is rendered in the same language, so a
wrapped cause reads in one language; any other param is formatted as it is.

Codes are dotted by area (``store.…``, ``import.…``, ``access.…``, ``cli.…``); the codes of the
hotspot analysis (``empty``, ``outside``, …) and of strategy edits (``bad_number``, …) predate
this catalogue and are kept as they are, since pages and tests name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NamedTuple, Protocol, runtime_checkable

from layers.vocabulary import LANGUAGES

DEFAULT_LANGUAGE: Final = "cs"


class Text(NamedTuple):
    """One message in both languages, Czech first."""

    cs: str
    en: str


@runtime_checkable
class Rendered(Protocol):
    """Anything with a text in a given language (a wrapped :class:`~layers.errors.MapaError`)."""

    def message(self, lang: str = ...) -> str: ...


MESSAGES: Final[Mapping[str, Text]] = {
    # --- the store (layers.store) ---
    "store.missing": Text(
        "úložiště {location} neexistuje; vytvořte ho příkazem `mapa build-demo`",
        "store {location} does not exist; build it with `mapa build-demo`"),
    "store.missing_database": Text(
        "úložiště {location} neexistuje; vytvořte ho příkazem `mapa build-demo` nebo ho "
        "zkopírujte příkazem `mapa migrate`",
        "store {location} does not exist; build it with `mapa build-demo` or copy one with "
        "`mapa migrate`"),
    "store.unreadable": Text(
        "úložiště {location} není čitelný GeoPackage: {detail}",
        "store {location} is not a readable GeoPackage: {detail}"),
    "store.unavailable": Text(
        "úložiště {location} není dostupné: {detail}",
        "store {location}: {detail}"),
    "store.disk_full": Text(
        "na disku úložiště {location} došlo místo (nebo soubor narazil na limit velikosti); "
        "nic nebylo uloženo a úložiště zůstalo beze změny – uvolněte místo a zkuste to znovu "
        "({detail})",
        "the disk of store {location} is full (or a file reached its size limit); nothing "
        "was stored and the store is unchanged: free some space and try again ({detail})"),
    "store.migrate_failed": Text(
        "úložiště {location} nelze převést na novou verzi: {detail}",
        "cannot migrate {location}: {detail}"),
    "store.not_per_town": Text(
        "vrstva {layer!r} se nevede po obcích",
        "layer {layer!r} is not kept per town"),
    "store.read_failed": Text(
        "vrstvu {layer!r} nelze z {location} přečíst: {detail}",
        "cannot read layer {layer!r} from {location}: {detail}"),
    "store.no_layer": Text(
        "vrstva {layer!r} v úložišti není",
        "layer {layer!r} is not in the store"),
    "store.no_layer_in": Text(
        "vrstva {layer!r} v úložišti {location} není",
        "layer {layer!r} is not in the store {location}"),
    "store.delete_columns": Text(
        "z vrstvy {layer!r} nelze mazat podle sloupců {columns}",
        "cannot delete from {layer!r} by columns {columns}"),
    "store.no_columns": Text(
        "vrstva {layer!r} nemá sloupce {columns}",
        "layer {layer!r} has no columns {columns}"),
    "store.bad_area": Text(
        "oblast {area!r} není neprázdná geometrie ani obdélník (min. délka, min. šířka, "
        "max. délka, max. šířka)",
        "area {area!r} is neither a non-empty geometry nor a box (min lon, min lat, max lon, "
        "max lat)"),
    "store.not_spatial": Text(
        "vrstva {layer!r} nemá geometrii",
        "layer {layer!r} has no geometry"),
    "store.not_points": Text(
        "vrstva {layer!r} nemá body",
        "layer {layer!r} does not hold points"),
    "store.no_key": Text(
        "vrstva {layer!r} nemá klíč, podle kterého by šlo její řádky pojmenovat",
        "layer {layer!r} has no key to name its rows by"),
    "store.bad_cell": Text(
        "velikost buňky musí být kladný počet metrů, ne {cell!r}",
        "a cell size must be a positive number of metres, not {cell!r}"),
    "store.not_storage_crs": Text(
        "vrstva {layer!r} musí být v EPSG:4326, je v {crs}",
        "layer {layer!r} must be in EPSG:4326, got {crs}"),
    "store.append_columns": Text(
        "k vrstvě {layer!r} nelze přidat řádky: sloupce {given} se liší od sloupců vrstvy "
        "{fields}",
        "cannot append to {layer!r}: columns {given} differ from the layer's {fields}"),
    "store.append_no_geometry": Text(
        "k vrstvě {layer!r} nelze přidat řádky bez geometrie",
        "cannot append to {layer!r}: rows without geometry"),
    "store.name_too_long": Text(
        "název vrstvy {layer!r} je delší než {limit} bajtů",
        "layer name {layer!r} is longer than {limit} bytes"),
    "store.column_names": Text(
        "vrstva {layer!r}: názvy sloupců smí mít nejvýš {limit} bajtů a nesmí být 'fid' ani "
        "{geometry!r}",
        "layer {layer!r}: column names must be at most {limit} bytes and not 'fid' or "
        "{geometry!r}"),
    "store.unique_key_missing": Text(
        "jedinečný klíč {column!r} není sloupcem tabulky",
        "unique key {column!r} is not a column of the frame"),
    "store.write_failed": Text(
        "vrstvu {layer!r} nelze zapsat: {detail}",
        "cannot write layer {layer!r}: {detail}"),
    "store.column_type": Text(
        "sloupec {column!r} neodpovídá svému typu {type}: {detail}",
        "column {column!r} does not fit its {type} type: {detail}"),
    "store.changing": Text(
        "úložiště {location} se během čtení stále měnilo; zkuste to znovu",
        "store {location} kept changing while being read; try again"),
    "store.copy_mismatch": Text(
        "kopie do {location} neodpovídá zdroji: {problems}",
        "copy to {location} does not match its source: {problems}"),
    "store.backup_mismatch": Text(
        "záloha {path} neodpovídá úložišti: {problems}",
        "backup {path} does not match the store: {problems}"),
    "store.backup_missing": Text(
        "záloha {path} neexistuje",
        "backup {path} does not exist"),
    "store.not_a_backup": Text(
        "{path} není záloha vytvořená příkazem `mapa backup`: {detail}",
        "{path} is not a backup made by `mapa backup`: {detail}"),
    "store.backup_damaged": Text(
        "záloha {path} je poškozená, nic nebylo obnoveno: {problems}",
        "backup {path} is damaged, nothing restored: {problems}"),
    "store.restore_mismatch": Text(
        "obnovené úložiště {location} neodpovídá záloze: {problems}",
        "restored {location} does not match the backup: {problems}"),
    "store.replace_in_transaction": Text(
        "celé úložiště nelze nahradit uvnitř transakce",
        "the whole store cannot be replaced inside a transaction"),
    "store.bad_name": Text(
        "{name!r} nemůže být názvem vrstvy ani sloupce",
        "{name!r} cannot name a layer or a column"),
    "store.empty_key": Text(
        "vrstva {layer!r}: sloupec {column!r} nesmí být prázdný",
        "layer {layer!r}: column {column!r} must not be empty"),
    "store.no_strategy_tables": Text(
        "úložišti {location} chybí tabulky strategií: {layers}",
        "store {location} lacks strategy tables: {layers}"),
    # --- signed backups and the audit chain (layers.store.transfer, layers.access) ---
    "backup.no_key": Text(
        "chybí klíč k podepisování záloh: nastavte {name} v prostředí nebo v {path} "
        "(`mapa backup` jej vytvoří, obnova nikdy)",
        "no backup signing key: set {name} in the environment or in {path} "
        "(`mapa backup` creates one, a restore never does)"),
    "backup.short_key": Text(
        "klíč {name} je příliš krátký: potřebuje aspoň {chars} znaků",
        "the key {name} is too short: it needs at least {chars} characters"),
    "backup.unsigned": Text(
        "záloha {path} není podepsaná (vznikla před podepisováním záloh, nebo podpis někdo "
        "odstranil); nic nebylo obnoveno",
        "backup {path} is not signed (made before backups were signed, or its signature was "
        "removed); nothing restored"),
    "backup.other_key": Text(
        "záloha {path} je podepsaná jiným klíčem (otisk {signed_with}, tento klíč {key_id}); "
        "nic nebylo obnoveno",
        "backup {path} was signed with another key (key id {signed_with}, this key "
        "{key_id}); nothing restored"),
    "backup.bad_signature": Text(
        "podpis zálohy {path} nesouhlasí: záloha byla po podepsání změněna; nic nebylo obnoveno",
        "the signature of backup {path} does not match: the backup was changed after it was "
        "signed; nothing restored"),
    "backup.rolls_back_audit": Text(
        "obnova by z auditního záznamu {location} odstranila {entries} položek, které záloha "
        "nemá; nic nebylo obnoveno (s --force obnova proběhne a sama se zapíše do auditu)",
        "the restore would drop {entries} audit entries of {location} that the backup lacks; "
        "nothing restored (with --force it goes ahead and is itself audited)"),
    "audit.chain_altered": Text(
        "auditní záznam je porušen u položky č. {position} ({at}, {action}): po zapsání byla "
        "změněna",
        "the audit log is broken at entry {position} ({at}, {action}): it was changed after "
        "it was written"),
    "audit.chain_link": Text(
        "auditní záznam je porušen u položky č. {position} ({at}, {action}): nenavazuje na "
        "předchozí položku (před ní byla položka odebrána nebo vložena)",
        "the audit log is broken at entry {position} ({at}, {action}): it does not follow the "
        "entry before it (an entry was removed or inserted before it)"),
    "audit.chain_unsealed": Text(
        "auditní záznam je porušen u položky č. {position} ({at}, {action}): nemá otisk "
        "(zapsána mimo řetězec úložiště)",
        "the audit log is broken at entry {position} ({at}, {action}): it has no hash "
        "(written outside the store's chain)"),
    # --- a throwaway PostgreSQL cluster (layers.store.pg_cluster) ---
    "cluster.no_postgis": Text(
        "pro PostgreSQL {version} chybí PostGIS: apt-get install {package}",
        "PostGIS is missing for PostgreSQL {version}: apt-get install {package}"),
    "cluster.no_postgres": Text(
        "chybí PostgreSQL: apt-get install postgresql-15 postgresql-15-postgis-3",
        "PostgreSQL is missing: apt-get install postgresql-15 postgresql-15-postgis-3"),
    "cluster.command_failed": Text(
        "{command} selhal: {output}",
        "{command} failed: {output}"),
    # --- accounts and rights (layers.access) ---
    "access.lacks_right": Text(
        "účet {user} (role {role}) nemá právo {right!r}",
        "{user} ({role}) lacks the right {right!r}"),
    "access.lacks_right.public": Text(
        "veřejnost (role {role}) nemá právo {right!r}",
        "the public ({role}) lacks the right {right!r}"),
    "access.session_list": Text(
        "účet {user} (role {role}) nesmí procházet mapovací setkání",
        "{user} ({role}) may not list mapping sessions"),
    "access.session_list.public": Text(
        "veřejnost (role {role}) nesmí procházet mapovací setkání",
        "the public ({role}) may not list mapping sessions"),
    "access.other_centre_session": Text(
        "setkání {session!r} patří jinému centru než {centre!r}",
        "session {session!r} belongs to another centre than {centre!r}"),
    "access.export_one_session": Text(
        "facilitátor exportuje vždy jedno setkání svého centra",
        "a facilitator exports one session of its own centre at a time"),
    "access.other_centre_create": Text(
        "setkání organizace {organiser!r} nemůže založit účet centra {centre!r}",
        "a session of {organiser!r} cannot be created by an account of {centre!r}"),
    "access.other_town": Text(
        "účet {user} (role {role}) nepatří k obci {town!r}",
        "{user} ({role}) does not belong to the town {town!r}"),
    "access.other_town.public": Text(
        "veřejnost (role {role}) nemá přístup k obci {town!r}",
        "the public ({role}) has no access to the town {town!r}"),
    "access.other_town_account": Text(
        "účet {account!r} patří i obcím mimo obce účtu {user}",
        "the account {account!r} belongs to towns outside those of {user}"),
    "account.no_towns": Text(
        "uveďte obce účtu (--town, --region)",
        "name the account's towns (--town, --region)"),
    "account.unknown_region": Text(
        "kraj {region!r} v úložišti není (známé: {known})",
        "the region {region!r} is not in the store (known: {known})"),
    "access.name_a_town": Text(
        "účet {user} (role {role}) patří jen k některým obcím: uveďte obec (--town)",
        "{user} ({role}) belongs to some towns only: name the town (--town)"),
    "access.name_a_town.public": Text(
        "veřejnost (role {role}): uveďte obec (--town)",
        "the public ({role}): name the town (--town)"),
    "access.whole_store": Text(
        "účet {user} (role {role}) patří jen k některým obcím: příkaz nad celým úložištěm "
        "mu nepřísluší",
        "{user} ({role}) belongs to some towns only: a command on the whole store is not "
        "theirs"),
    "access.whole_store.public": Text(
        "veřejnost (role {role}) nesmí spouštět příkaz nad celým úložištěm",
        "the public ({role}) may not run a command on the whole store"),
    "access.public_view_only": Text(
        "role {role} vidí body jen ve veřejném pohledu",
        "{role} sees pins only in the public view"),
    # --- imports (layers.ingest, layers.mapping) ---
    "import.unknown_kind": Text(
        "neznámý druh importu {kind!r} (známé: {known})",
        "unknown import kind {kind!r} (known: {known})"),
    "template.unknown_kind": Text(
        "pro {kind!r} není šablona (šablony jsou pro: {known})",
        "no template for {kind!r} (templates exist for: {known})"),
    "template.unknown_format": Text(
        "neznámý formát šablony {format!r} (známé: {known})",
        "unknown template format {format!r} (known: {known})"),
    "import.unknown_town": Text(
        "neznámá obec {town!r} (viz `mapa info`)",
        "unknown town {town!r} (see `mapa info`)"),
    "import.unknown_crs": Text(
        "neznámý souřadnicový systém {crs!r}",
        "unknown CRS {crs!r}"),
    "import.already_imported": Text(
        "{file} už byl pro {town} importován jako dávka {batch}; nic se nezměnilo (pro nový "
        "import tu dávku nejdřív vraťte)",
        "{file} was already imported for {town} as batch {batch}; nothing was changed (undo "
        "that batch to import it again)"),
    "import.empty": Text(
        "{file} neobsahuje žádné řádky ani prvky; nic se nezměnilo",
        "{file} holds no rows or features; nothing was changed"),
    "import.nothing_usable": Text(
        "žádný z {rows} řádků souboru {file} nelze importovat; nic se nezměnilo",
        "none of the {rows} rows of {file} can be imported; nothing was changed"),
    "import.nothing_usable_first": Text(
        "žádný z {rows} řádků souboru {file} nelze importovat (první: {where}: {reason}); nic "
        "se nezměnilo",
        "none of the {rows} rows of {file} can be imported (first: {where}: {reason}); "
        "nothing was changed"),
    "import.strict_rejected": Text(
        "{rejected} z {rows} řádků odmítnuto (první: {where}: {reason}); nic nebylo "
        "importováno (--strict)",
        "{rejected} of {rows} rows rejected (first: {where}: {reason}); nothing imported "
        "(--strict)"),
    "import.no_batch": Text(
        "žádná dávka importu {batch!r} (viz `mapa batches`)",
        "no import batch {batch!r} (see `mapa batches`)"),
    "import.batch_undone": Text(
        "dávka {batch} už byla vrácena",
        "batch {batch} was already undone"),
    "import.bad_ruian_code": Text(
        "kód obce v RÚIAN má 6 číslic, zadáno {code!r}",
        "a municipality's RÚIAN code has 6 digits, got {code!r}"),
    "import.town_exists": Text(
        "obec {town!r} už v úložišti je",
        "town {town!r} is already in the store"),
    "import.no_shipped_boundary": Text(
        "obec {code} není mezi dodanými hranicemi obcí Česka; zkontrolujte kód, nebo zadejte "
        "její hranici (--boundary SOUBOR)",
        "municipality {code} is not among the shipped boundaries of Czech municipalities; "
        "check the code, or give its boundary (--boundary FILE)"),
    "import.address_not_found": Text(
        "adresa „{address}“ není mezi adresními body obce (zkontrolujte ulici, číslo a obec)",
        "address '{address}' is not among the town's address points"),
    "patrol.zero_weights": Text(
        "všechny váhy jsou nulové, takže žádné místo nemá přednost před jiným; nastavte "
        "alespoň jednu váhu (strach, kriminalita, denní doba nebo blízkost zastávky) větší "
        "než nula",
        "every weight is zero, so no place comes before another; set at least one weight "
        "(fear, crime, time of day or near a stop) above zero"),
    "import.streets_exist": Text(
        "obec {town!r} už síť ulic má; novou lze nahrát po vrácení té dosavadní (mapa batches, "
        "mapa undo DÁVKA)",
        "town {town!r} has a street network already; import a new one after undoing it "
        "(mapa batches, mapa undo BATCH)"),
    "import.no_polygon": Text(
        "{file} neobsahuje žádný polygon obce {code}",
        "{file} holds no polygon of municipality {code}"),
    # --- limits on imports and forms (layers.limits): checked before the work ---
    "limit.archive_bytes": Text(
        "{what}: archiv se rozbalí na {value} bajtů, limit je {limit} bajtů; nic se nezměnilo",
        "{what}: the archive unpacks to {value} bytes, over the limit of {limit} bytes; "
        "nothing was changed"),
    "limit.archive_members": Text(
        "{what}: archiv má {value} souborů, limit je {limit}; nic se nezměnilo",
        "{what}: the archive holds {value} members, over the limit of {limit}; nothing was "
        "changed"),
    "limit.rows": Text(
        "{what}: {value} řádků, limit je {limit} řádků na soubor; rozdělte ho; nic se nezměnilo",
        "{what}: {value} rows, over the limit of {limit} rows per file; split it; nothing was "
        "changed"),
    "limit.columns": Text(
        "{what}: {value} sloupců, limit je {limit}; nic se nezměnilo",
        "{what}: {value} columns, over the limit of {limit}; nothing was changed"),
    "limit.cell_chars": Text(
        "{what}: buňka má {value} znaků, limit je {limit} znaků; nic se nezměnilo",
        "{what}: a cell of {value} characters, over the limit of {limit} characters; nothing "
        "was changed"),
    "limit.line_bytes": Text(
        "{what}: řádek {line} má {value} bajtů, víc než {limit} bajtů, které zaberou jeho "
        "sloupce po nejvýš {cell} znacích; nic se nezměnilo",
        "{what}: line {line} has {value} bytes, more than the {limit} bytes its columns of at "
        "most {cell} characters can take; nothing was changed"),
    "limit.sheet_cells": Text(
        "{what}: list sahá na {value} buněk (řádky × sloupce až k nejvzdálenější buňce), limit "
        "je {limit}; smažte prázdné řádky a sloupce; nic se nezměnilo",
        "{what}: the sheet spans {value} cells (rows × columns up to its farthest cell), over "
        "the limit of {limit}; delete the empty rows and columns; nothing was changed"),
    "limit.vertices": Text(
        "{what}: geometrie má {value} vrcholů, limit je {limit}; zjednodušte ji; nic se "
        "nezměnilo",
        "{what}: a geometry of {value} vertices, over the limit of {limit}; simplify it; "
        "nothing was changed"),
    "limit.comment_chars": Text(
        "{what}: komentář má {value} znaků, nejvýš smí mít {limit}",
        "{what}: the comment has {value} characters, at most {limit} are allowed"),
    "limit.transcription_chars": Text(
        "{what}: přepis má {value} znaků, najednou lze uložit nejvýš {limit}; uložte ho po "
        "částech",
        "{what}: the transcription has {value} characters, at most {limit} can be saved at "
        "once; save it in parts"),
    "limit.question_chars": Text(
        "{what}: text má {value} znaků, nejvýš smí mít {limit}",
        "{what}: the text has {value} characters, at most {limit} are allowed"),
    "source.xml_declarations": Text(
        "{what}: část {part} obsahuje deklaraci DTD nebo entit, kterou sešit XLSX nemá; "
        "soubor odmítnut, nic se nezměnilo",
        "{what}: part {part} holds a DTD or entity declaration, which an XLSX workbook never "
        "has; refused, nothing was changed"),
    "source.feeling_map_type": Text(
        "{what}: pocitovou mapu lze importovat z CSV, GeoJSON, GeoPackage, KML nebo "
        "FlatGeobuf, ne ze souboru "
        "{suffix}",
        "{what}: a feeling map is imported from CSV, GeoJSON, GeoPackage, KML or FlatGeobuf, "
        "not from a "
        "{suffix} file"),
    "mapping.no_boundary": Text(
        "obec {town!r} v úložišti není; zadejte její hranici (--boundary SOUBOR)",
        "town {town!r} is not in the store; give its boundary (--boundary FILE)"),
    "mapping.already_imported": Text(
        "{file} už byl pro {town} importován (setkání {session}); nic se nezměnilo",
        "{file} was already imported for {town} (session {session}); nothing was changed"),
    # --- mapping sessions and moderation (layers.mapping) ---
    "mapping.pins_outside": Text(
        "{n} bodů leží mimo obec {town}: umístěte je dovnitř její hranice",
        "{n} pin(s) lie outside {town}: place them inside the town boundary"),
    "link.unknown": Text(
        "Tento odkaz neznáme. Zkontrolujte, že jste ho opsali celý, nebo se zeptejte "
        "pořadatele setkání.",
        "This link is not known. Check that it was copied whole, or ask the session's "
        "organiser."),
    "link.closed": Text(
        "Odkaz už je uzavřený (platil do {until}). Děkujeme za zájem.",
        "This link is closed (it was open until {until}). Thank you for your interest."),
    "link.not_yet": Text(
        "Odkaz ještě neplatí, otevře se {starts}.",
        "This link is not open yet; it opens at {starts}."),
    "link.bad_period": Text(
        "Konec odkazu ({until}) musí být po jeho začátku ({starts}).",
        "The link's end ({until}) must come after its start ({starts})."),
    "link.bad_time": Text(
        "{value!r} není čas ve tvaru ISO 8601 (např. 2026-12-24T18:00).",
        "{value!r} is not an ISO 8601 time (e.g. 2026-12-24T18:00)."),
    "link.device_limit": Text(
        "Z tohoto zařízení už přišlo {limit} odpovědí, víc jich tento odkaz nepřijme.",
        "This device has already sent {limit} answers; the link takes no more from it."),
    "link.client_limit": Text(
        "Z této sítě už přišlo {limit} odpovědí, víc jich tento odkaz nepřijme.",
        "This network has already sent {limit} answers; the link takes no more from it."),
    "question.bad": Text(
        "Otázku nelze uložit: {problem}",
        "The question cannot be saved: {problem}"),
    "question.bad_answer": Text(
        "Odpověď na otázku „{question}“ nejde uložit: {problem}",
        "The answer to “{question}” cannot be stored: {problem}"),
    "mapping.unknown_session": Text(
        "neznámé setkání {session!r}",
        "unknown session {session!r}"),
    "export.format": Text(
        "formát exportu musí být jeden z: {formats} (zadáno {fmt})",
        "the export format must be one of {formats}, got {fmt!r}"),
    "export.crs": Text(
        "souřadnicový systém {crs} nelze zapsat do formátu {fmt}; S-JTSK (5514) jen do {formats}",
        "CRS {crs} cannot be written to {fmt}; S-JTSK (5514) only to {formats}"),
    "mapping.unknown_town": Text(
        "neznámá obec {town!r}",
        "unknown town {town!r}"),
    "moderation.negative_retention": Text(
        "doba uchování nemůže být záporná (zadáno {days} dní)",
        "the retention period cannot be negative (given {days} days)"),
    "moderation.no_batch": Text(
        "dávka importu {batch!r} neexistuje nebo nepřidala žádné odpovědi (viz mapa batches)",
        "import batch {batch!r} does not exist or added no answers (see mapa batches)"),
    "moderation.no_session": Text(
        "setkání {session!r} neexistuje (viz mapa moderate list)",
        "session {session!r} does not exist (see mapa moderate list)"),
    "moderation.no_reason": Text(
        "zamítnutí potřebuje důvod",
        "a rejection needs a reason"),
    "moderation.unknown_category": Text(
        "neznámá kategorie {category!r}",
        "unknown category {category!r}"),
    # --- accounts (layers.access.accounts) ---
    "account.password_short": Text(
        "heslo musí mít alespoň {minimum} znaků",
        "a password needs at least {minimum} characters"),
    "account.bad_username": Text(
        "uživatelské jméno {username!r}: 2–40 znaků z a-z, 0-9, '.', '_', '-', na začátku "
        "písmeno nebo číslice",
        "username {username!r}: 2–40 of a-z, 0-9, '.', '_', '-', starting with a letter or "
        "digit"),
    "account.bad_role": Text(
        "role {role!r} není jednou z {roles}",
        "role {role!r} is not one of {roles}"),
    "account.taken": Text(
        "uživatelské jméno {username!r} je obsazené",
        "username {username!r} is taken"),
    "account.disable_self": Text(
        "vlastní účet nelze zablokovat",
        "you cannot disable your own account"),
    "account.unknown": Text(
        "účet {username!r} neexistuje",
        "no account {username!r}"),
    "account.login_throttled": Text(
        "příliš mnoho neúspěšných přihlášení k tomuto účtu odsud; zkuste to znovu za "
        "{seconds} s",
        "too many failed logins to this account from here; try again in {seconds} s"),
    "account.wrong_password": Text(
        "současné heslo nesouhlasí",
        "the current password does not match"),
    "account.same_password": Text(
        "nové heslo musí být jiné než dosavadní",
        "the new password must differ from the old one"),
    "account.needs_centre": Text(
        "role {role!r} potřebuje centrum (organizaci)",
        "the role {role!r} needs a centre (organisation)"),
    "account.role_self": Text(
        "vlastní roli nelze změnit",
        "you cannot change your own role"),
    "session.short_key": Text(
        "klíč {name} je příliš krátký: potřebuje aspoň {chars} znaků",
        "the key {name} is too short: it needs at least {chars} characters"),
    "session.bad_hours": Text(
        "{name}: {value!r} není kladný počet hodin",
        "{name}: {value!r} is not a positive number of hours"),
    "access.bad_proxy": Text(
        "{setting}: {entry!r} není adresa ani síť (např. 127.0.0.1 nebo 10.0.0.0/8)",
        "{setting}: {entry!r} is not an address or a network (e.g. 127.0.0.1 or 10.0.0.0/8)"),
    # --- privacy thresholds (layers.privacy, layers.hotspots.privacy) ---
    "privacy.k_too_small": Text(
        "k musí být alespoň {minimum}, aby odpovědi zůstaly anonymní, zadáno {k}",
        "k must be at least {minimum} to keep answers anonymous, got {k}"),
    "privacy.cell_size": Text(
        "velikost buňky musí být kladná, zadáno {cell}",
        "cell_m must be positive, got {cell}"),
    "privacy.public_k": Text(
        "veřejný práh k musí být alespoň {minimum}, zadáno {k}",
        "the public threshold k must be at least {minimum}, got {k}"),
    # --- the urbanist's tools (layers.urban) ---
    "export.nothing": Text(
        "nic k exportu: všechny vrstvy jsou prázdné ({layers}); obec zatím nemá lokality, "
        "služby ani horká místa",
        "nothing to export: every layer is empty ({layers}); the town has no localities, "
        "services or hot cells yet"),
    "audit.no_place": Text(
        "audit potřebuje název místa",
        "an audit needs the name of its place"),
    "audit.aspects": Text(
        "audit hodnotí právě tyto aspekty: {aspects}",
        "an audit scores exactly {aspects}"),
    "audit.scores": Text(
        "hodnocení musí být 1–5, zadáno {bad}",
        "scores must be 1–5, got {bad}"),
    "audit.not_lonlat": Text(
        "místo auditu musí být v zeměpisných souřadnicích (EPSG:4326)",
        "the audit's place must be lon/lat (EPSG:4326)"),
    "audit.no_town": Text(
        "obec {town!r} neexistuje",
        "no town {town!r}"),
    "audit.outside": Text(
        "auditované místo leží mimo obec {town}",
        "the audited place lies outside {town}"),
    "audit.no_measures": Text(
        "opatření {measures} v obci {town} nejsou",
        "no measures {measures} in {town}"),
    "link.kind": Text(
        "druh vazby musí být jeden z {kinds}, zadáno {kind!r}",
        "kind must be one of {kinds}, got {kind!r}"),
    "link.self": Text(
        "službu nelze propojit se sebou samou",
        "a service cannot be linked to itself"),
    "link.no_services": Text(
        "služby {services} v obci {town} nejsou",
        "no services {services} in {town}"),
    "link.exists": Text(
        "{first} a {second} už vazbu {kind} mají",
        "{first} and {second} already have a {kind} link"),
    # --- the catalogue of services (layers.catalogue) ---
    "catalogue.type": Text(
        "neznámý druh služby {code!r}; známé: {known}",
        "unknown service type {code!r}; known: {known}"),
    "catalogue.target": Text(
        "neznámá cílová skupina {code!r}; známé: {known}",
        "unknown target group {code!r}; known: {known}"),
    "catalogue.form": Text(
        "neznámá forma služby {code!r}; známé: {known}",
        "unknown form of service {code!r}; known: {known}"),
    "catalogue.tab": Text(
        "neznámá záložka katalogu {code!r}; známé: {known}",
        "unknown catalogue tab {code!r}; known: {known}"),
    "catalogue.distance": Text(
        "vzdálenost {distance} m potřebuje místo (--near) a nesmí být záporná",
        "a distance ({distance} m) needs a place (--near) and must not be negative"),
    "catalogue.near": Text(
        "místo musí být DÉLKA,ŠÍŘKA ve WGS 84 (např. 13.63,50.61), zadáno {near!r}",
        "a place must be LON,LAT in WGS 84 (e.g. 13.63,50.61), got {near!r}"),
    "catalogue.no_entry": Text(
        "služba {service!r} v katalogu není",
        "no service {service!r} in the catalogue"),
    "catalogue.no_town": Text(
        "obec {town!r} neexistuje",
        "no town {town!r}"),
    "catalogue.no_name": Text(
        "služba potřebuje název",
        "a service needs a name"),
    "catalogue.field": Text(
        "pole {field!r} katalog nezná; známá: {known}",
        "the catalogue has no field {field!r}; known: {known}"),
    "catalogue.email": Text(
        "e-mail {value!r} není platná adresa",
        "{value!r} is not an e-mail address"),
    "catalogue.web": Text(
        "web musí začínat http:// nebo https://, zadáno {value!r}",
        "a web address must start with http:// or https://, got {value!r}"),
    "catalogue.capacity": Text(
        "kapacita musí být celé číslo 0 nebo větší, zadáno {value!r}",
        "capacity must be a whole number of 0 or more, got {value!r}"),
    "catalogue.photo_licence": Text(
        "fotografii lze uložit jen s licencí",
        "a photo needs its licence"),
    "catalogue.area": Text(
        "oblast působnosti musí být polygon ve WKT (WGS 84): {detail}",
        "the area covered must be a WKT polygon (WGS 84): {detail}"),
    "catalogue.outside": Text(
        "místo služby leží mimo obec {town}",
        "the service's place lies outside {town}"),
    "catalogue.no_changes": Text(
        "návrh neobsahuje žádnou změnu",
        "the proposal changes nothing"),
    "catalogue.no_proposer": Text(
        "návrh potřebuje název navrhující organizace",
        "a proposal needs the proposing organisation's name"),
    "catalogue.no_proposal": Text(
        "návrh {proposal!r} neexistuje",
        "no proposal {proposal!r}"),
    "catalogue.decided": Text(
        "o návrhu {proposal!r} už bylo rozhodnuto ({status})",
        "proposal {proposal!r} was already decided ({status})"),
    "register.unreadable": Text(
        "soubor registru {name} nelze přečíst: {detail}",
        "cannot read the register file {name}: {detail}"),
    "register.shape": Text(
        "{name} nemá tvar otevřených dat registru MPSV (objekt s polem \"polozky\"): {detail}",
        "{name} is not the MPSV register's open-data shape (an object with a \"polozky\" "
        "array): {detail}"),
    "register.region": Text(
        "neznámý kraj {region!r}; známé kódy NUTS 3: {known}",
        "unknown region {region!r}; known NUTS 3 codes: {known}"),
    # --- patrol plans (layers.patrol.plans) ---
    "patrol.no_places": Text(
        "plán potřebuje alespoň jedno místo, zadáno {places}",
        "a plan needs at least one place, got {places}"),
    "patrol.no_title": Text(
        "uložený plán potřebuje název",
        "a saved plan needs a title"),
    "patrol.unknown_plan": Text(
        "plán hlídek {plan!r} neexistuje",
        "no patrol plan {plan!r}"),
    # --- strategies (layers.strategy.editing) ---
    "strategy.unknown": Text(
        "strategie {strategy!r} v {location} není",
        "no strategy {strategy!r} in {location}"),
    "strategy.no_goal": Text(
        "cíl {goal!r} ve strategii {strategy} není",
        "no goal {goal!r} in strategy {strategy}"),
    "strategy.unknown_area": Text(
        "oblast {area!r} v {location} není (id obce, kód kraje, nebo id či název lokality)",
        "no area {area!r} in {location} (a town id, a region code, or a locality id or name)"),
    "strategy.no_town": Text(
        "strategie {strategy} nemá v {location} obec, ke které by šla opatření vázat",
        "strategy {strategy} has no town in {location} to link measures to"),
    # --- source files (layers.sources, layers.ingest) ---
    "source.problem": Text(
        "{path}: {problem}",
        "{path}: {problem}"),
    # --- hotspot statistics (layers.hotspots) ---
    "gistar.shape": Text(
        "váhy mají rozměr {shape}, hodnoty mají {n} buněk",
        "weights are {shape}, values have {n} cells"),
    "gistar.too_few": Text(
        "Gi* potřebuje alespoň dvě buňky",
        "Gi* needs at least two cells"),
    "gistar.zero_sum": Text(
        "není co testovat: součet hodnot je nula",
        "nothing to test: the values sum to zero"),
    "gistar.constant": Text(
        "není co testovat: všechny buňky mají stejnou hodnotu",
        "nothing to test: every cell has the same value"),
    "grid.rings": Text(
        "počet prstenců musí být alespoň 1",
        "rings must be at least 1"),
    "grid.cell_size": Text(
        "velikost buňky musí být mezi {low:.0f} a {high:.0f} m, zadáno {value:g} m",
        "cell size must be between {low:.0f} and {high:.0f} m, got {value:g} m"),
    "grid.no_area": Text(
        "obec nemá plochu, na kterou by šla položit mřížka",
        "the town has no area to put a grid on"),
    "emerging.too_few_steps": Text(
        "vznikající ohniska potřebují alespoň {minimum} období, data pokrývají {steps}",
        "emerging hot spots need at least {minimum} time steps, the data cover {steps}"),
    "emerging.no_points": Text(
        "v časové krychli není žádný skutek s datem uvnitř obce",
        "no dated point lies in the town for the space-time cube"),
    "kde.too_few": Text(
        "šířka pásma potřebuje alespoň dva body, zadáno {n}",
        "a bandwidth needs at least two points, got {n}"),
    "kde.coincide": Text(
        "všechny body splývají; šířku pásma z nich nelze odvodit",
        "all points coincide; no bandwidth can be derived from them"),
    "kde.no_points": Text(
        "žádné body, ze kterých by šla odhadnout hustota",
        "no points to estimate a density from"),
    "kde.bandwidth": Text(
        "šířka pásma musí být kladná, zadáno {bandwidth}",
        "bandwidth must be positive, got {bandwidth}"),
    "unknown_town": Text(
        "neznámá obec {town}",
        "unknown town {town!r}"),
    "empty": Text(
        "výběru neodpovídá žádná schválená odpověď (nebo skutek)",
        "no {what} match the selection"),
    "selection_empty": Text(
        "v obci neleží žádná schválená odpověď z tohoto výběru",
        "no approved pins of the {what} lie in the town"),
    "outside": Text(
        "všech {n} bodů leží mimo hranici obce",
        "all {n} {what} lie outside the town"),
    "single": Text(
        "v obci je jen {n} bod; mapa hotspotů potřebuje alespoň {minimum}",
        "only {n} of the {what} lies in the town; a hotspot map needs at least {minimum}"),
    "one_cell": Text(
        "všech {n} bodů padá do jedné buňky {cell} m; zvolte menší buňku nebo širší výběr",
        "all {n} {what} fall in one cell of {cell} m; choose a smaller cell or a wider "
        "selection"),
    "no_crime": Text(
        "obec nemá údaje o skutcích ani index kriminality",
        "the town has neither offences nor a police crime index"),
    "undefined": Text(
        "statistiku nelze spočítat ({detail})",
        "{detail}"),
    # --- patrol planning (layers.patrol) ---
    "nothing": Text(
        "žádné místo v rozsahu nemá odpovědi o strachu, hustotu ani kriminalitu k seřazení",
        "no place in scope has fear answers, density or crime to rank"),
    "unknown_locality": Text(
        "v obci {town} není lokalita {locality!r}",
        "no locality {locality!r} in town {town}"),
    # --- strategy values (layers.strategy.model): the Czech text names the value, not the
    # internal record the English one names for logs ---
    "strategy.empty": Text(
        "povinný údaj nesmí být prázdný",
        "{what} must not be empty"),
    "strategy.not_date": Text(
        "„{value}“ není datum – napište rok, rok-měsíc nebo rok-měsíc-den, např. 2026 nebo "
        "2026-11",
        "{what}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "strategy.not_calendar_date": Text(
        "„{value}“ není den, který v kalendáři je",
        "{what}: {value!r} is not a calendar date ({reason})"),
    "strategy.not_timestamp": Text(
        "„{value}“ není datum ani datum s časem",
        "{what}: {value!r} is not an ISO date or date-time"),
    "strategy.not_one_of": Text(
        "„{value}“ není jedna z možností {allowed}",
        "{what}: {value!r} is not one of {allowed}"),
    "strategy.not_number": Text(
        "„{value}“ není číslo",
        "{what}: {value!r} is not a number"),
    # --- strategy edits (layers.strategy.editing) ---
    "empty_text": Text(
        "text nesmí být prázdný",
        "the text must not be empty"),
    "bad_number": Text(
        "„{number}“ není číslo cíle – použijte čísla či písmena oddělená tečkou, např. 1.2.3",
        "{number!r} is not a goal number (like 1.2.3)"),
    "number_taken": Text(
        "číslo {number} už ve strategii má jiný cíl",
        "goal number {number} is already used in strategy {strategy}"),
    "number_not_under_parent": Text(
        "číslo {number} nenavazuje na číslo nadřazeného cíle {parent} (má mít tvar {parent}.X)",
        "number {number} does not continue its parent's number {parent}"),
    "no_parent": Text(
        "nadřazený cíl {parent} neexistuje",
        "no goal {parent!r} in strategy {strategy}"),
    "inconsistent": Text(
        "podcíle nelze přečíslovat ({problem})",
        "{problem}"),
    "bad_budget": Text(
        "„{value}“ není částka v korunách (nezáporné číslo)",
        "budget {value!r} is not an amount of CZK (a non-negative number)"),
    "bad_field": Text(
        "pole {field} zde nelze měnit",
        "measure field {field!r} cannot be edited here"),
    "not_polygon": Text(
        "zakreslený tvar ({kind}) není plocha",
        "the drawn shape ({kind}) is not an area"),
    "invalid_polygon": Text(
        "zakreslená plocha není platná, nejspíš se její hranice kříží ({reason})",
        "the drawn area is not valid ({reason})"),
    "polygon_outside": Text(
        "zakreslená plocha přesahuje hranici města ({towns}); zakreslete ji uvnitř",
        "the drawn area does not lie inside its towns ({towns})"),
    # --- the command line (scripts/) ---
    "cli.usage": Text(
        "chybně zadaný příkaz: {detail}",
        "{detail}"),
    "cli.stdout_json": Text(
        "--out - píše soubor na standardní výstup; s --json by se smíchal s výsledkem",
        "--out - writes the file to standard output, where --json would mix with it"),
    "cli.same_store": Text(
        "--from a --to označují totéž úložiště",
        "--from and --to name the same store"),
    "cli.target_not_empty": Text(
        "{location} už obsahuje vrstvy; pro jejich nahrazení přidejte --force",
        "{location} already holds layers; add --force to replace them"),
    "cli.env_unset": Text(
        "proměnná prostředí {name} není nastavena",
        "environment variable {name} is not set"),
    "cli.passwords_differ": Text(
        "hesla se liší",
        "the passwords differ"),
    "cli.emerging_layer": Text(
        "vznikající ohniska (--emerging) jsou pro vrstvy offences a fear; offences jen s "
        "--emerging",
        "--emerging goes with --layer offences or fear, and --layer offences with --emerging"),
    "cli.hotspots_out": Text(
        "chybí výstupní soubor (--out)",
        "the output file is missing (--out)"),
    "geocode.query_or_reverse": Text(
        "zadejte buď hledané místo, nebo --reverse DÉLKA,ŠÍŘKA",
        "give either a place to find or --reverse LON,LAT"),
    "cli.no_town_served": Text(
        "{file}: žádná zastávka neleží v obci úložiště; přidejte obec (mapa import town) "
        "nebo zadejte --town",
        "{file}: no stop lies in a town of the store; add the town (mapa import town) or "
        "give --town"),
    "cli.cannot_write": Text(
        "do {location} nelze zapisovat: {detail}",
        "cannot write to {location}: {detail}"),
    "cli.first_admin": Text(
        "první správce: {reason}",
        "first admin: {reason}"),
    "cli.build_demo_file": Text(
        "build-demo zapisuje GeoPackage; zadejte cestu k souboru",
        "build-demo writes a GeoPackage; give a file path"),
    "cli.demo_password": Text(
        "{name} musí mít alespoň {minimum} znaků",
        "{name} needs at least {minimum} characters"),
    "cli.store_untouched": Text(
        "{reason} (stávající úložiště zůstalo beze změny)",
        "{reason} (the existing store was left untouched)"),
    "crime.no_year": Text(
        "za rok {year} nejsou žádné údaje o kriminalitě; roky s údaji: {years}",
        "no crime figures for {year}; years with figures: {years}"),
    "analysis.format": Text(
        "zprávu lze uložit jen jako {formats}, ne {suffix!r}",
        "the analysis can be written only as {formats}, not {suffix!r}"),
    "cli.no_locality": Text(
        "v obci {town} není lokalita {locality!r} (známé: {known})",
        "no locality {locality!r} in {town} (known: {known})"),
    "cli.pins_list": Text(
        "--pins musí být celá čísla oddělená čárkou: {value!r}",
        "--pins must be comma-separated integers: {value!r}"),
    "cli.positive_pins": Text(
        "--pins potřebuje alespoň jeden kladný počet bodů",
        "--pins needs at least one positive pin count"),
    "cli.repeat": Text(
        "--repeat musí být alespoň 1",
        "--repeat must be at least 1"),
    "cli.generator_short": Text(
        "generátor dal jen {given} bodů v Litvínově, potřeba je {needed}",
        "the generator gave only {given} Litvínov pins, {needed} needed"),
    "cli.bench_spatial_differs": Text(
        "dotaz {query}: výpočet v Pythonu dal {python} řádků, úložiště {store}",
        "query {query}: the Python computation gave {python} rows, the store {store}"),
    "cli.bench_national_options": Text(
        "--offences, --pins a --repeat potřebují kladné počty a --years 1 až 50 let",
        "--offences, --pins and --repeat need positive counts and --years 1 to 50 years"),
    "cli.bench_store_options": Text(
        "--pins potřebuje počty a --backends jen gpkg a/nebo postgis",
        "--pins needs counts and --backends only gpkg and/or postgis"),
    "cli.url_one_count": Text(
        "s --url zadejte jeden počet bodů: každý běh potřebuje prázdnou databázi",
        "with --url give one pin count: each run needs an empty database"),
    "cli.bench_not_empty": Text(
        "{location} není prázdné; měření potřebuje prázdnou databázi",
        "{location} is not empty; the bench needs an empty database"),
    "cli.bench_wrote": Text(
        "{location}: zapsáno {added} místo {pins} bodů",
        "{location}: wrote {added} instead of {pins} pins"),
    "cli.bench_read": Text(
        "{location}: přečteno {pins} bodů",
        "{location}: read {pins} pins"),
    "cli.bench_count": Text(
        "--count musí být alespoň 1, zadáno {count}",
        "--count must be at least 1, got {count}"),
    "cli.bench_fuzz_gpkg": Text(
        "bench fuzz pracuje na kopii úložiště GeoPackage; zadejte cestu k souboru",
        "bench fuzz works on a copy of a GeoPackage store; give a file path"),

    "cli.bench_faults_options": Text(
        "--kills a --rows musí být alespoň 1",
        "--kills and --rows must be at least 1"),
    "cli.bench_faults_no_kill": Text(
        "{operation} na {backend} skončil {draws}× dřív, než ho šlo zabít",
        "{operation} on {backend} ended before its kill {draws} times in a row"),
    "cli.bench_child_failed": Text(
        "{command} selhal sám od sebe, ještě před zabitím: {detail}",
        "{command} failed on its own, before any kill: {detail}"),
    "cli.load_options": Text(
        "--users, --concurrent a --processes musí být ≥ 1, --seconds > 0 a --ramp ≥ 0",
        "--users, --concurrent and --processes must be ≥ 1, --seconds > 0 and --ramp ≥ 0"),
    "cli.load_gpkg_processes": Text(
        "GeoPackage je jeden soubor a obslouží ho jen jeden proces aplikace, ne {processes}; "
        "použijte --processes 1, nebo --backend postgis",
        "a GeoPackage is one file served by one app process only, not {processes}; use "
        "--processes 1, or --backend postgis"),
    "cli.bench_pages": Text(
        "neznámé stránky {pages}; na výběr: {known}",
        "unknown pages {pages}; choose from: {known}"),
    "cli.no_chromium": Text(
        "chybí {path}: apt-get install chromium",
        "{path} is missing: apt-get install chromium"),
    "cli.streamlit_start": Text(
        "streamlit se nespustil: {log}",
        "streamlit did not start: {log}"),
    "cli.serve_processes": Text(
        "--processes musí být alespoň 1",
        "--processes must be at least 1"),
    "cli.serve_needs_proxy": Text(
        "více procesů aplikace potřebuje --proxy (nginx před nimi na --port)",
        "several app processes need --proxy (nginx in front of them on --port)"),
    "cli.serve_needs_postgis": Text(
        "více procesů aplikace musí sdílet jednu databázi PostGIS (--store postgresql://…); "
        "soubor GeoPackage obslouží jen jeden proces",
        "several app processes must share one PostGIS database (--store postgresql://…); "
        "a GeoPackage file is served by one process only"),
    "cli.no_nginx": Text(
        "chybí {path}: apt-get install nginx",
        "{path} is missing: apt-get install nginx"),
    "cli.serve_start": Text(
        "{what} na {url} se nespustil: {detail}",
        "{what} on {url} did not start: {detail}"),
    "cli.serve_ended": Text(
        "{what} skončil (kód {code}); aplikace je zastavena",
        "{what} ended (code {code}); the app is stopped"),
    "cli.no_playwright": Text(
        "chybí playwright: pip install -e '.[test]'",
        "playwright is missing: pip install -e '.[test]'"),
    # --- builtin errors not (yet) given a code of their own, reported with their text ---
    "invalid_input": Text(
        "neplatný vstup: {detail}",
        "{detail}"),
    "os_error": Text(
        "chyba systému: {detail}",
        "{detail}"),
}


def render(code: str, params: Mapping[str, Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """The text of ``code`` in ``lang`` with ``params`` filled in.

    Raises ``KeyError`` for a code not in :data:`MESSAGES` and ``ValueError`` for a language
    not in :data:`LANGUAGES`.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    template = getattr(MESSAGES[code], lang)
    return template.format(**{name: value.message(lang) if isinstance(value, Rendered)
                              else value for name, value in params.items()})
