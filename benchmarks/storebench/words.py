"""Vocabulary of the generated store: words of news prose (most frequent first), outlet names, URL parts."""

from __future__ import annotations

# Claim and article text draws from these with Zipf-like weights (rank 1 most often), so a search for a word
# near the top matches many claims and one near the end few: both kinds of text search are exercised.
WORDS = tuple(
    dict.fromkeys(
    """
    the of and to in a that for is on said with was as by it at from has have are be its which not
    government report percent year people new more million state than would public data study officials
    but were been also who this after had their over two first could last about other into between
    billion according program federal says policy health new study found since when most during while
    national police court law market energy companies world three city group support increase months
    spending plan climate workers school country years agency since research water security billion
    analysis tax prices states election funding industry network broadband internet access service
    rural coverage survey county households minister ministry economy growth inflation rate rates bank
    housing rent wages jobs unemployment trade exports imports tariffs budget deficit debt bonds
    investors shares profits revenue losses emissions carbon electricity coal gas oil solar wind power
    grid drought flood wildfire heat temperatures rainfall crops farmers food hospital patients doctors
    vaccine disease cases deaths infections testing treatment drug prices insurance medicare medicaid
    students teachers schools university tuition enrollment graduates scores children parents families
    women men adults older younger residents voters ballots turnout campaign candidates senate house
    congress parliament committee hearing testimony lawmakers bill legislation regulation rule agency
    commission department secretary director spokesperson statement interview document records filing
    lawsuit judge ruling appeal trial charges prosecutors investigation audit inspector fraud contract
    procurement grants subsidies loans program pilot expansion rollout deadline target goal estimate
    figures census migration refugees border asylum visas citizens population density urban suburban
    transit buses trains highway bridges roads traffic crashes safety airline flights airports ports
    shipping supply chain shortage semiconductors factories manufacturing automakers vehicles electric
    batteries charging stations mining lithium copper steel aluminum construction permits zoning homes
    mortgage lenders borrowers credit defaults foreclosures eviction homelessness shelters poverty
    income inequality benefits pensions retirement savings consumer spending retail sales online
    platforms social media users accounts privacy breach hackers ransomware outage servers cloud
    software artificial intelligence models chips startup venture funding valuation merger acquisition
    antitrust competition monopoly fines penalties settlement compliance oversight transparency
    accountability misinformation fact claims evidence sources citations journalists newsroom editors
    reporting coverage analysis experts economists scientists researchers professor institute
    foundation nonprofit charity donors volunteers community neighborhood local regional provincial
    municipal council mayor governor premier president chancellor cabinet coalition opposition party
    poll approval majority minority vote referendum protest strike union negotiations agreement treaty
    summit talks sanctions ceasefire troops military defense weapons missiles drones navy army border
    conflict violence victims attack shooting arrests detention prison sentence parole crime rates
    fire department emergency response disaster relief recovery reconstruction aid donations pledges
    quarterly annual monthly weekly daily record high low decline rise fell rose doubled tripled halved
    surged dropped slowed accelerated remained steady stable volatile sharply slightly significantly
    nearly roughly approximately almost estimated projected expected forecast predicted announced
    confirmed denied disputed questioned criticized praised warned urged proposed approved rejected
    delayed canceled launched opened closed expanded reduced cut raised lowered extended suspended
    resumed ended began started completed published released updated revised corrected retracted
    ocean coastal island mountain valley river lake forest desert arctic tropical glacier reef species
    wildlife conservation biodiversity pollution plastic waste recycling landfill sewage sanitation
    broadband satellite spectrum wireless fiber cable towers antennas latency speeds megabits gigabit
    subscribers carriers providers operators telecom regulator auction licenses obligations penalties
    open closed fair affordable reliable resilient sustainable transparent independent official
    """.split()
    )
)

# Second-level names of the outlets sources are hosted on (combined in pairs) and their top-level domains.
HOST_WORDS = (
    "daily", "times", "herald", "tribune", "post", "ledger", "gazette", "journal", "observer", "chronicle",
    "review", "report", "monitor", "sentinel", "courier", "bulletin", "digest", "insider", "wire", "press",
    "northern", "southern", "eastern", "western", "central", "coastal", "valley", "metro", "capital", "city",
    "state", "national", "global", "world", "public", "open", "civic", "policy", "science", "health",
    "energy", "climate", "tech", "data", "market", "finance", "labor", "rural", "urban", "river",
)  # fmt: skip
TOP_LEVEL_DOMAINS = ("com", "org", "net", "gov", "edu", "co.uk", "de", "fr", "io", "news", "int", "ca")
SECTIONS = ("news", "politics", "business", "science", "health", "reports", "research", "data", "world", "local")
PROBLEM_RULES = {
    # health status of an open problem: (HTTP status of its checks, the rule that named it, conclusive)
    "dead": (404, "http_404", True),
    "soft_404": (200, "probe_similarity", True),
    "paywalled": (200, "paywall_marker", True),
    "blocked": (403, "http_403", True),
    "server_error": (503, "http_503", False),
    "timeout": (None, "timeout", False),
}
