"""Typed models of every dataset's records and metadata: the authority on fields, types and vocabularies."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, get_args, get_origin
from urllib.parse import urlsplit

import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from poc_data.countries import ucdp_alpha3, ucdp_alpha3_list
from poc_data.i18n import N_

# The vocabularies people see are marked for the catalogue (N_) and translated where they are shown.
MISSION_ORGANIZATIONS = (N_("UN"), N_("EU"), N_("NATO"), N_("AU"), N_("UN-AU"), N_("national"), N_("coalition"))
MILESTONE_ORGANIZATIONS = (N_("UN"), N_("EU"), N_("NATO"), N_("Interorganizational"))
COMPARISON_ORGANIZATIONS = ("UN", "EU", "NATO")
MISSION_TYPES = (
    N_("peacekeeping"),
    N_("military operation"),
    N_("training mission"),
    N_("air campaign"),
    N_("naval operation"),
    N_("political mission"),
    N_("civilian mission"),
)
POC_MANDATES = (N_("explicit"), N_("partial"), N_("none"), N_("unknown"))
MISSION_STATUSES = (N_("ongoing"), N_("ended"), N_("unknown"))
RESOLUTION_KINDS = (N_("thematic"), N_("mission mandate"), N_("authorization of a non-UN force"))
MEASURES = (
    N_("killed"),
    N_("died"),
    N_("injured"),
    N_("casualties"),
    N_("raped"),
    N_("displaced"),
    N_("sheltered"),
    N_("abducted"),
)
QUALIFIERS = (N_("exact"), N_("at least"), N_("about"), N_("more than"), N_("up to"), N_("range"))
TIERS = (N_("official"), N_("NGO"), N_("academic"), N_("media"), N_("encyclopedia"), N_("other"))
# What kind of publisher a web domain is (data/source_domains.csv), and the tiers a source published there may have.
# A repository (ReliefWeb, Refworld, web archives) keeps other publishers' documents: the tier is the original
# publisher's. The classes with no tier are not sources: mirrors, scrapers, copies, blogs, aggregators, reposts, state
# outlets, low-reliability outlets; REFUSED_BECAUSE says why each is refused.
PUBLISHER_CLASSES: dict[str, tuple[str, ...]] = {
    "UN": ("official",),
    "EU": ("official",),
    "NATO": ("official",),
    "AU": ("official",),
    "government": ("official",),
    "NGO": ("NGO",),
    "academic": ("academic",),
    "news": ("media",),
    "encyclopedia": ("encyclopedia",),
    "reference": ("other",),
    "repository": ("official", "NGO", "academic", "media"),
    "mirror": (),
    "document-sharing": (),
    "blog": (),
    "aggregator": (),
    "repost": (),
    "state outlet": (),
    "low-reliability": (),
}
REFUSED_BECAUSE: dict[str, str] = {
    "mirror": "a copy of another site (most often Wikipedia)",
    "document-sharing": "a copy of another publisher's document",
    "blog": "a personal or user-generated page",
    "aggregator": "an aggregator of other sites' items",
    "repost": "a third-party repost of a press release or wire report",
    "state outlet": "a state propaganda outlet",
    "low-reliability": "a low-reliability outlet",
}
COMPARISON_TABLES = ("table1", "table2", "annex1")
RECOMMENDATION_KINDS = ("recommendation", "question")
# What an evidence link points to: a milestone id, a mission acronym, a resolution, a civilian_harm id.
EVIDENCE_KINDS = ("milestone", "mission", "mandate", "harm_figure")
# Editorial theme tags of milestones, and the milestone themes that inform each recommendation.
THEMES = (
    N_("policy and doctrine"),
    N_("mandates and Security Council"),
    N_("operations"),
    N_("failures to protect and civilian harm"),
    N_("harm mitigation"),
    N_("training and preparedness"),
    N_("accountability and due diligence"),
    N_("community engagement and early warning"),
    N_("gender, women, peace and security"),
    N_("interorganizational cooperation"),
)

# ISO 3166-1 leaves XAA-XZZ to users; XKX is the code this project uses for Kosovo, which has no ISO code.
USER_ASSIGNED_COUNTRIES = {"XKX": "Kosovo"}
FIRST_YEAR = 1945

FIELD_TYPES = ("string", "integer", "number", "date", "partial_date", "list", "boolean")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_RESOLUTION = re.compile(r"^S/RES/(\d+) \((\d{4})\)$")
# A UN document symbol as printed on the document: S/RES/1270 (1999), S/1996/149, A/RES/60/1, S/PRST/2009/1.
_DOCUMENT_SYMBOL = r"^[A-Z]+(/[A-Za-z0-9.\-]+)+( \(\d{4}\))?$"
_DOMAIN = r"^[a-z0-9]([a-z0-9\-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]*[a-z0-9])?)+$"
# Characters never left raw in a source URL: whitespace, controls, and what Markdown or HTML would read as markup.
_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f<>\"'`{}|\\^\[\]]")
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Kind:
    """Marks how a field is stored in a file and typed in a DataFrame (one of FIELD_TYPES).

    `period_end` marks a partial date that ends a period: `2005` as an end means the end of 2005.
    """

    name: str
    period_end: bool = False


@cache
def iso3_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes (from pycountry) plus the user-assigned ones this project uses."""
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(USER_ASSIGNED_COUNTRIES)


def country_name(code: str) -> str:
    """A country's short name for display, or the code itself when it is unknown."""
    if code in USER_ASSIGNED_COUNTRIES:
        return USER_ASSIGNED_COUNTRIES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    common = getattr(country, "common_name", None)
    if common:
        return common
    # ISO's short names invert some names ("Congo, The Democratic Republic of the", "Korea, Republic of"); put them
    # in the order people say them ("Democratic Republic of the Congo").
    base, _, rest = country.name.partition(", ")
    if rest.endswith((" of", " of the")):
        return f"{rest.removeprefix('The ')} {base}"
    return country.name


# Each check's docstring states its rule, as docs/data-format.md shows it (`{NAME}` stands for the constant's value).
def _check_year(year: int) -> int:
    """A year from {FIRST_YEAR} to the current year."""
    this_year = dt.date.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}-{this_year}")
    return year


def _as_text(value: Any) -> Any:
    """YAML turns 2022 into an int and 2022-03-01 into a date; partial dates are kept as written."""
    if isinstance(value, (int, dt.date)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _check_partial_date(value: str) -> str:
    """A date that exists, as YYYY-MM-DD, YYYY-MM or YYYY, in a year from {FIRST_YEAR} to the current year."""
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise PydanticCustomError(
            "date_parsing", "{value} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", {"value": repr(value)}
        )
    year, month, day = match.groups()
    year = int(year)
    try:
        dt.date(year, int(month) if month else 1, int(day) if day else 1)
    except ValueError as error:
        raise PydanticCustomError(
            "date_parsing", "{value} is not a real date ({error})", {"value": repr(value), "error": str(error)}
        ) from None
    _check_year(year)
    return value


def _check_date(value: dt.date) -> dt.date:
    """A date in a year from {FIRST_YEAR} to the current year."""
    _check_year(value.year)
    return value


def _check_country(code: str) -> str:
    """An ISO 3166-1 alpha-3 country code, or XKX (Kosovo)."""
    if code not in iso3_codes():
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    return code


# The host of an http(s) URL: after any user information (up to the netloc's last `@`), up to a port, path, query or
# fragment.
_HOST = re.compile(r"https?://(?:[^/?#]*@)?([^/?#:]*)")


def _ascii_host(url: str) -> str:
    """What `urlsplit(url).hostname` gives for an ASCII http(s) URL without whitespace or brackets (which
    `_check_url` refuses first), at a fifth of its cost: 30 000 sources at 100 times the data."""
    return _HOST.match(url).group(1).lower()


def _check_url(url: str) -> str:
    """A web address to link to: http:// or https://, a host, at most {MAX_URL_LENGTH} characters, and no whitespace,
    control characters, quotes, backticks or any of `<>{}|\\^[]`, which Markdown or HTML would read (percent-encode
    them)."""
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"a URL of at most {MAX_URL_LENGTH} characters")
    if not url.startswith(("http://", "https://")):
        raise ValueError("not a web address: it must start with http:// or https://")
    if _URL_UNSAFE.search(url):
        bad = sorted(set(_URL_UNSAFE.findall(url)))
        raise ValueError(f"a URL may not contain {' '.join(map(repr, bad))}: percent-encode it")
    if url.isascii():
        host = _ascii_host(url)
    else:
        try:
            host = urlsplit(url).hostname
        except ValueError as error:
            raise ValueError(f"not a well-formed URL ({error})") from None
    if not host:
        raise ValueError("not a well-formed URL: no host after http(s)://")
    return url


def is_link_safe(url: str) -> bool:
    """Whether a URL may be shown as a link: the schema's rule for source URLs."""
    try:
        _check_url(url)
    except ValueError:
        return False
    return True


def _split_list(value: Any) -> Any:
    """A CSV cell holds a list as `a;b;c`; YAML holds a real list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    return value


def _check_unique_items(items: list) -> list:
    """No item repeated."""
    if len(set(items)) == len(items):
        return items
    repeated = sorted({item for item in items if items.count(item) > 1})
    raise ValueError(f"repeated item(s): {', '.join(map(str, repeated))}")


def _or_none(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`check` for a field that may be empty: an empty value passes. It keeps the check's name and docstring, which
    docs/data-format.md shows as the field's rule."""

    @functools.wraps(check)
    def checked(value: Any) -> Any:
        return value if value is None else check(value)

    return checked


Text = Annotated[str, Field(min_length=1), Kind("string")]
OptionalText = Annotated[str | None, Kind("string")]
Year = Annotated[int, AfterValidator(_check_year), Kind("integer")]
OptionalYear = Annotated[int | None, AfterValidator(_or_none(_check_year)), Kind("integer")]
PartialDate = Annotated[str, BeforeValidator(_as_text), AfterValidator(_check_partial_date), Kind("partial_date")]
OptionalPartialDate = Annotated[
    str | None,
    BeforeValidator(_as_text),
    AfterValidator(_or_none(_check_partial_date)),
    Kind("partial_date"),
]
OptionalPartialEndDate = Annotated[
    str | None,
    BeforeValidator(_as_text),
    AfterValidator(_or_none(_check_partial_date)),
    Kind("partial_date", period_end=True),
]
Date = Annotated[dt.date, AfterValidator(_check_date), Kind("date")]
OptionalDate = Annotated[dt.date | None, AfterValidator(_or_none(_check_date)), Kind("date")]
Country = Annotated[str, AfterValidator(_check_country)]
CountryList = Annotated[list[Country], BeforeValidator(_split_list), AfterValidator(_check_unique_items), Kind("list")]
TextList = Annotated[list[Text], BeforeValidator(_split_list), AfterValidator(_check_unique_items), Kind("list")]
SourceId = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$"), Kind("string")]
Slug = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$"), Kind("string")]
Resolution = Annotated[str, Field(pattern=_RESOLUTION.pattern), Kind("string")]


def _vocabulary(values: tuple[str, ...]) -> Any:
    return Annotated[Literal[values], Kind("string")]


class Record(BaseModel):
    """Common settings: unknown keys are errors, text is stripped, numbers are finite (no `1e999`, `.inf`, `.nan`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, allow_inf_nan=False)


class Source(Record):
    id: SourceId
    authors: TextList = []
    title: Text
    publisher: OptionalText = None
    date: OptionalPartialDate = None
    url: Annotated[str | None, AfterValidator(_or_none(_check_url)), Kind("string")] = None
    symbol: Annotated[str | None, Field(pattern=_DOCUMENT_SYMBOL), Kind("string")] = None
    tier: _vocabulary(TIERS)
    notes: OptionalText = None


class SourceDomain(Record):
    domain: Annotated[str, Field(pattern=_DOMAIN), Kind("string")]
    publisher: Text
    publisher_class: _vocabulary(tuple(PUBLISHER_CLASSES))
    notes: OptionalText = None


class Milestone(Record):
    id: Slug
    year: Year
    organization: _vocabulary(MILESTONE_ORGANIZATIONS)
    text: Text
    themes: Annotated[list[Literal[THEMES]], Field(min_length=1), AfterValidator(_check_unique_items), Kind("list")]
    missions: TextList = []
    source_id: SourceId
    source_detail: OptionalText = None


class Mission(Record):
    acronym: Text
    name: Text
    name_fr: OptionalText = None
    organization: _vocabulary(MISSION_ORGANIZATIONS)
    lead_state: Annotated[Country | None, Kind("string")] = None
    type: _vocabulary(MISSION_TYPES)
    host_countries: CountryList = []
    start_date: OptionalPartialDate = None
    end_date: OptionalPartialEndDate = None
    status: _vocabulary(MISSION_STATUSES)
    status_as_of: OptionalDate = None
    poc_mandate: _vocabulary(POC_MANDATES)
    first_poc_resolution: Annotated[Resolution | None, Kind("string")] = None
    hq_city: OptionalText = None
    hq_lat: Annotated[float | None, Field(ge=-90, le=90), Kind("number")] = None
    hq_lon: Annotated[float | None, Field(ge=-180, le=180), Kind("number")] = None
    source_id: SourceId
    source_detail: OptionalText = None
    notes: OptionalText = None


class Mandate(Record):
    resolution: Resolution
    number: Annotated[int, Field(ge=1), Kind("integer")]
    date: OptionalDate = None
    kind: _vocabulary(RESOLUTION_KINDS)
    missions: TextList = []
    subject: OptionalText = None
    poc_language: OptionalText = None
    source_id: SourceId
    source_detail: OptionalText = None


class HarmFigure(Record):
    id: Slug
    series: OptionalText = None
    event: OptionalText = None
    place: CountryList = []
    place_detail: OptionalText = None
    period_start: PartialDate
    period_end: OptionalPartialEndDate = None
    measure: _vocabulary(MEASURES)
    victims: Text
    qualifier: _vocabulary(QUALIFIERS)
    value_low: Annotated[int, Field(ge=0), Kind("integer")]
    value_high: Annotated[int, Field(ge=0), Kind("integer")]
    attributed_to: OptionalText = None
    counted_by: Text
    source_id: SourceId
    source_detail: OptionalText = None
    source_tier: _vocabulary(TIERS)
    notes: OptionalText = None


class Comparison(Record):
    id: Slug
    table: _vocabulary(COMPARISON_TABLES)
    dimension: Text
    organization: _vocabulary(COMPARISON_ORGANIZATIONS)
    points: Annotated[list[Text], Field(min_length=1), Kind("list")]
    document: OptionalText = None
    year: OptionalYear = None
    source_id: SourceId
    source_detail: OptionalText = None


class Recommendation(Record):
    id: Slug
    source_id: SourceId
    theme: Text
    kind: _vocabulary(RECOMMENDATION_KINDS)
    addressee: OptionalText = None
    text: Text
    order: Annotated[int, Field(ge=1), Kind("integer")]
    related_themes: Annotated[
        list[Literal[THEMES]], BeforeValidator(_split_list), AfterValidator(_check_unique_items), Kind("list")
    ] = []
    source_detail: OptionalText = None


class EvidenceLink(Record):
    id: Slug
    recommendation_id: Slug
    kind: _vocabulary(EVIDENCE_KINDS)
    target: Text
    reason: Annotated[str, Field(min_length=1, max_length=200), Kind("string")]
    source_id: SourceId
    source_detail: OptionalText = None


class KeyFigure(Record):
    id: Slug
    label: Text
    value: Annotated[float, Kind("number")]
    unit: OptionalText = None
    year: OptionalYear = None
    quote: Text
    source_id: SourceId
    source_detail: OptionalText = None


class Deployment(Record):
    """One deployment location of a UN operation in one year, as coded by Geo-PKO."""

    id: Slug
    mission: Text
    year: Year
    country: Text
    countries: Annotated[list[Country], BeforeValidator(_split_list), Field(min_length=1), Kind("list")]
    location: Text
    lat: Annotated[float, Field(ge=-90, le=90), Kind("number")]
    lon: Annotated[float, Field(ge=-180, le=180), Kind("number")]
    troops: Annotated[int | None, Field(ge=0), Kind("integer")] = None
    police: Annotated[bool, Kind("boolean")]
    observers: Annotated[bool, Kind("boolean")]
    hq: Annotated[int, Field(ge=0, le=3), Kind("integer")]
    source_id: SourceId
    source_detail: OptionalText = None


def _check_ucdp_country(name: str) -> str:
    """A country name that poc_data.countries maps to an ISO 3166-1 alpha-3 code."""
    if ucdp_alpha3(name) is None:
        raise ValueError(f"{name!r} is a country name with no ISO 3166-1 code: add it to countries.UCDP_NAMES")
    return name


def _check_ucdp_countries(names: str) -> str:
    """Country names separated by commas, each one that poc_data.countries maps to an ISO 3166-1 alpha-3 code."""
    unknown = [part.strip() for part in names.split(",") if part.strip() and ucdp_alpha3(part) is None]
    if unknown:
        raise ValueError(f"{', '.join(map(repr, unknown))}: no ISO 3166-1 code; add to countries.UCDP_NAMES")
    return names


Count = Annotated[int, Field(ge=0), Kind("integer")]
UcdpCountry = Annotated[str, Field(min_length=1), AfterValidator(_check_ucdp_country), Kind("string")]
# Filled in by the reader from the producer's own columns (DatasetSpec.derived), never read from the file.
DerivedText = Annotated[str, Kind("string")]
DerivedList = Annotated[list[str], Kind("list")]


class OrganizedViolenceYear(Record):
    """One country and year of UCDP's Country-Year Dataset on Organized Violence: deaths by kind of violence.

    The columns are the producer's, named as UCDP names them; `id`, `iso3`, `source_id` and `source_detail` are
    derived by the reader. UCDP's low, best and high estimates are kept as published, even where a low exceeds a
    best (`validate.warnings` lists those rows).
    """

    id: DerivedText
    country_id_cy: Count
    country_cy: UcdpCountry
    iso3: DerivedText
    year_cy: Year
    region_cy: Text
    os_any_govt_killings_best_cy: Count
    os_any_govt_killings_high_cy: Count
    os_any_govt_killings_low_cy: Count
    os_nsgroup_killings_best_cy: Count
    os_nsgroup_killings_high_cy: Count
    os_nsgroup_killings_low_cy: Count
    os_killings_unknown_cy: Count
    os_total_deaths_best_cy: Count
    os_total_deaths_high_cy: Count
    os_total_deaths_low_cy: Count
    os_dyad_names_cy: Text
    sb_deaths_civilians_cy: Count
    sb_total_deaths_best_cy: Count
    sb_total_deaths_high_cy: Count
    sb_total_deaths_low_cy: Count
    ns_deaths_civilians_cy: Count
    ns_total_deaths_best_cy: Count
    ns_total_deaths_high_cy: Count
    ns_total_deaths_low_cy: Count
    cumulative_total_deaths_civilians_in_orgvio_cy: Count
    version: Text
    source_id: SourceId
    source_detail: DerivedText

    # (low, best, high) fields of UCDP's estimates.
    estimates: ClassVar[tuple[tuple[str, str, str], ...]] = tuple(
        (f"{kind}_low_cy", f"{kind}_best_cy", f"{kind}_high_cy")
        for kind in (
            "os_any_govt_killings",
            "os_nsgroup_killings",
            "os_total_deaths",
            "sb_total_deaths",
            "ns_total_deaths",
        )
    )

    @classmethod
    def derive(cls, raw: dict[str, Any]) -> None:
        """The fields the reader adds to a row of the producer's file."""
        raw["id"] = f"{raw.get('country_id_cy')}-{raw.get('year_cy')}"
        raw["iso3"] = ucdp_alpha3(raw.get("country_cy") or "") or ""


class OneSidedViolence(Record):
    """One actor and year of UCDP's One-sided Violence Dataset: civilians it killed deliberately, and where.

    The columns are the producer's; `id`, `iso3`, `source_id` and `source_detail` are derived by the reader.
    """

    id: DerivedText
    conflict_id: Count
    dyad_id: Count
    actor_id: Count
    coalition_components: OptionalText = None
    actor_name: Text
    actor_name_fulltext: OptionalText = None
    actor_name_mothertongue: OptionalText = None
    year: Year
    best_fatality_estimate: Count
    low_fatality_estimate: Count
    high_fatality_estimate: Count
    is_government_actor: Annotated[int, Field(ge=0, le=1), Kind("integer")]
    location: Annotated[str, Field(min_length=1), AfterValidator(_check_ucdp_countries), Kind("string")]
    iso3: DerivedList
    gwno_location: Text
    gwnoa: OptionalText = None
    region: Text
    version: Text
    source_id: SourceId
    source_detail: DerivedText

    estimates: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("low_fatality_estimate", "best_fatality_estimate", "high_fatality_estimate"),
    )

    @classmethod
    def derive(cls, raw: dict[str, Any]) -> None:
        """The fields the reader adds to a row of the producer's file."""
        raw["id"] = f"{raw.get('dyad_id')}-{raw.get('year')}"
        raw["iso3"] = [code for code in ucdp_alpha3_list(raw.get("location") or "") if code]


class FieldMeta(BaseModel):
    """One field's description in a dataset's metadata (Frictionless-style)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(description="The field's name, as the schema names it.")]
    type: Annotated[Literal[FIELD_TYPES], Field(description="The field's type, as the schema has it.")]
    description: Annotated[str, Field(min_length=1, description="What the field holds, for people.")]
    editorial: Annotated[
        bool, Field(description="True where the value is our choice, not a source's (a theme, a category).")
    ] = False
    required: Annotated[bool, Field(description="True exactly where the schema requires a value.")] = False
    enum: Annotated[
        list[str] | None, Field(description="The schema's vocabulary of the field, in its order, if given.")
    ] = None
    unit: Annotated[str | None, Field(description="What a number counts or measures (deaths, degrees).")] = None


class ReleaseCopy(BaseModel):
    """Where the copy of a producer's release was taken from: a public repository's file at a commit."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    repository: Annotated[
        str, Field(pattern=r"^[A-Za-z0-9][\w.-]*/[\w.-]+$", description="The repository, as owner/name.")
    ]
    path: Annotated[str, Field(min_length=1, description="The file's path in the repository.")]
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$", description="The commit the file was taken at.")]
    md5: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$", description="The md5 of the file at that commit.")]
    note: Annotated[str | None, Field(description="How the copy was made from the producer's file.")] = None


class Release(BaseModel):
    """A producer's release kept as released (OWID's snapshots): what it is, and the checksum of the file here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    producer: Annotated[str, Field(min_length=1, description="Who made and published the release.")]
    title: Annotated[str, Field(min_length=1, description="The release's title, as the producer gives it.")]
    version: Annotated[str, Field(min_length=1, description="The release's version.")]
    citation: Annotated[str, Field(min_length=1, description="How the producer asks to be cited.")]
    url: Annotated[str, AfterValidator(_check_url), Field(description="The producer's page of the release.")]
    file: Annotated[str, Field(min_length=1, description="The release's file, as the producer names it.")]
    md5: Annotated[str, Field(pattern=r"^[0-9a-f]{32}$", description="The md5 of the file kept here.")]
    bytes: Annotated[int, Field(gt=0, description="The size of the file kept here.")]
    rows: Annotated[int, Field(ge=0, description="The rows of the file kept here.")]
    accessed: Annotated[dt.date, Field(description="When the file was taken.")]
    copy_of: Annotated[ReleaseCopy, Field(description="Where the copy was taken from (below).")]
    verified: Annotated[
        str, Field(min_length=1, description="What was checked against the producer's published figures.")
    ]


class Metadata(BaseModel):
    """A dataset's metadata: what it is, where it comes from, and every field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(description="The dataset's id, the same as its file's name.")]
    title: Annotated[str, Field(min_length=1, description="The dataset's title, for people.")]
    description: Annotated[
        str, Field(min_length=1, description="What the dataset holds, what it does not, how it was curated.")
    ]
    license: Annotated[str, Field(min_length=1, description="The licence of the compilation (CC-BY-4.0).")]
    license_note: Annotated[
        str | None, Field(description="Whose the quoted text is, and how to cite the producers.")
    ] = None
    updated: Annotated[dt.date, Field(description="When the dataset was last curated or reviewed.")]
    sources: Annotated[list[str], Field(description="The sources (keys of data/sources.yaml) it draws on.")] = []
    notes: Annotated[str | None, Field(description="Processing and editorial decisions.")] = None
    primary_key: Annotated[str, Field(description="The field that identifies a record.")]
    release: Annotated[
        Release | None, Field(description="For a producer's file kept as released: the release (below).")
    ] = None
    fields: Annotated[
        list[FieldMeta], Field(min_length=1, description="Every field of the records, in file order, no others.")
    ]


@dataclass(frozen=True)
class ForeignKey:
    """A field whose values are keys of another dataset (Frictionless's `foreignKeys`): each value, or each item of
    a list, is the `key` of a record of `resource`. With `when` (field, value), only the records whose field has
    that value refer there (an evidence link's target is a milestone, a mission... by its kind)."""

    field: str
    resource: str
    key: str
    # What a problem says of a value that refers to no record: a template for the value's repr.
    message: str
    when: tuple[str, str] | None = None

    def as_frictionless(self) -> dict[str, Any]:
        """The declaration as a Frictionless Table Schema foreign key, with `when` as an extension."""
        declared: dict[str, Any] = {"fields": self.field, "reference": {"resource": self.resource, "fields": self.key}}
        if self.when is not None:
            declared["when"] = {self.when[0]: self.when[1]}
        return declared


# Every record's source is a key of sources.yaml; milestones and mandates name operations by their acronyms.
_SOURCE = ForeignKey("source_id", "sources", "id", "unknown source {!r}")
_MISSIONS = ForeignKey("missions", "missions", "acronym", "unknown mission {!r}")


@dataclass(frozen=True)
class DatasetSpec:
    """Where a dataset lives, which model its records follow and which other datasets its fields refer to."""

    id: str
    model: type[Record]
    file_format: Literal["csv", "yaml"]
    primary_key: str
    # A producer's file kept as released: its other columns are allowed and left unread, the `derived` fields are
    # made by the reader (the model's `derive`, the source from the metadata), and the metadata's `release` block
    # names the file by its checksum.
    producer_file: bool = False
    derived: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def data_file(self) -> str:
        return f"{self.id}.{self.file_format}"

    @property
    def meta_file(self) -> str:
        return f"{self.id}.meta.yaml" if self.file_format == "csv" else self.data_file


_RELEASE_DERIVED = ("id", "iso3", "source_id", "source_detail")
DATASETS: dict[str, DatasetSpec] = {
    spec.id: spec
    for spec in (
        DatasetSpec("sources", Source, "yaml", "id"),
        DatasetSpec("milestones", Milestone, "yaml", "id", foreign_keys=(_SOURCE, _MISSIONS)),
        DatasetSpec(
            "missions",
            Mission,
            "csv",
            "acronym",
            foreign_keys=(
                _SOURCE,
                ForeignKey("first_poc_resolution", "mandates", "resolution", "{!r} is not in mandates"),
            ),
        ),
        DatasetSpec("mandates", Mandate, "csv", "resolution", foreign_keys=(_SOURCE, _MISSIONS)),
        DatasetSpec("civilian_harm", HarmFigure, "csv", "id", foreign_keys=(_SOURCE,)),
        DatasetSpec("comparisons", Comparison, "yaml", "id", foreign_keys=(_SOURCE,)),
        DatasetSpec("recommendations", Recommendation, "yaml", "id", foreign_keys=(_SOURCE,)),
        DatasetSpec("key_figures", KeyFigure, "yaml", "id", foreign_keys=(_SOURCE,)),
        DatasetSpec(
            "evidence",
            EvidenceLink,
            "yaml",
            "id",
            foreign_keys=(
                _SOURCE,
                ForeignKey("recommendation_id", "recommendations", "id", "unknown recommendation {!r}"),
                ForeignKey("target", "milestones", "id", "unknown milestone {!r}", when=("kind", "milestone")),
                ForeignKey("target", "missions", "acronym", "unknown mission {!r}", when=("kind", "mission")),
                ForeignKey("target", "mandates", "resolution", "unknown resolution {!r}", when=("kind", "mandate")),
                ForeignKey(
                    "target", "civilian_harm", "id", "unknown civilian-harm figure {!r}", when=("kind", "harm_figure")
                ),
            ),
        ),
        DatasetSpec("source_domains", SourceDomain, "csv", "domain"),
        # A deployment's operation missing from missions is a warning (validate.deployment_warnings), not a key.
        DatasetSpec("deployments", Deployment, "csv", "id", foreign_keys=(_SOURCE,)),
        DatasetSpec(
            "organized_violence", OrganizedViolenceYear, "csv", "id", True, _RELEASE_DERIVED, foreign_keys=(_SOURCE,)
        ),
        DatasetSpec(
            "one_sided_violence", OneSidedViolence, "csv", "id", True, _RELEASE_DERIVED, foreign_keys=(_SOURCE,)
        ),
    )
}


def foreign_keys() -> dict[str, list[dict[str, Any]]]:
    """Every dataset's references to other datasets, as Frictionless foreign keys (plain data, for the docs)."""
    return {
        spec.id: [key.as_frictionless() for key in spec.foreign_keys] for spec in DATASETS.values() if spec.foreign_keys
    }


def field_kind(model: type[Record], name: str) -> Kind:
    """How a model's field is stored and typed."""
    for marker in model.model_fields[name].metadata:
        if isinstance(marker, Kind):
            return marker
    raise TypeError(f"{model.__name__}.{name} has no Kind marker")


def field_vocabulary(model: type[Record], name: str) -> tuple[str, ...] | None:
    """The closed vocabulary of a field, if the schema fixes one."""
    annotation = model.model_fields[name].annotation
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is Literal:
            return get_args(candidate)
    return None


def resolution_parts(resolution: str) -> tuple[int, int]:
    """`S/RES/1270 (1999)` -> (1270, 1999)."""
    match = _RESOLUTION.match(resolution)
    if not match:
        raise ValueError(f"{resolution!r} is not of the form S/RES/NNNN (YYYY)")
    return int(match.group(1)), int(match.group(2))
