"""Words that flip or bound what a sentence says: negations, opposite directions, quantifiers, units of measure."""

from __future__ import annotations

from crawler.verify.index import stem

# Each appears as a token of its own; "n't" is the token "t" after one of NOT_CONTRACTIONS ("didn't" -> "didn", "t").
NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor without cannot nowhere non lack lacks lacked lacking fail fails "
    "failed unable".split()
)
NOT_CONTRACTIONS = frozenset(
    "don doesn didn isn aren wasn weren hasn haven hadn won wouldn can couldn shouldn mustn needn ain".split()
)
# "not only", "doesn't just", "not necessarily": after these a negation limits or hedges what follows, not denies it.
NOT_MERELY = frozenset("only just merely simply solely necessarily".split())
# Two-word cues that negate what follows: "monitor, rather than restrict, the weights".
CONTRASTS = frozenset({("rather", "than"), ("instead", "of")})
# "against" negates what follows only after a verb of stance: "recommended against restricting".
STANCE_VERBS = frozenset(
    stem(word) for word in "recommend advise argue vote decide rule caution warn counsel lobby campaign speak".split()
)
# "declined to publish", "refused to comment": a refusal negates the verb after "to" (and "declined" is then no fall).
REFUSALS = frozenset(stem(word) for word in "decline refuse".split())
# A word these surround is said to happen only hypothetically ("what restricting releases would cost"): it does
# not assert what a negation elsewhere denies. Modals count after the word or just before it, openers before it.
MODALS = frozenset("would could might".split())
HYPOTHETICAL_OPENERS = frozenset("if whether what unless".split())
# Prefixes that negate the word they are glued to ("unrelated", "ineffective"); the rest must be a word of 4+ letters.
NEGATING_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis")

# Opposite directions: each group has two poles; a claim on one pole against a passage on only the other conflicts.
_OPPOSITES = (
    (
        "increase rise rose risen grow grew grown growth gain boost raise climb jump surge soar expand",
        "decrease decline drop fall fell fallen reduce reduction cut shrink shrank plunge slump",
    ),
    ("higher greater larger bigger more", "lower smaller less fewer"),
    ("longer", "shorter"),
    ("before prior", "after"),
    ("earlier", "later"),
    (
        "allow permit legal legalise legalize authorise authorize approve accept lift",
        "ban prohibit forbid forbidden illegal outlaw reject restrict block",
    ),
    ("support favour favor endorse", "oppose"),
    ("improve better strengthen benefit beneficial", "worsen worse weaken harm harmful deteriorate"),
    ("win won victory", "lose lost defeat"),
    ("success successful succeed", "failure unsuccessful"),
    ("safe", "dangerous hazardous unsafe"),
    ("positive", "negative"),
    ("presence", "absence"),
    ("include included", "exclude excluded"),
    ("strong", "weak"),
    ("high", "low"),
    ("majority", "minority"),
    ("maximum", "minimum"),
    ("open", "close closed"),
    ("true", "false"),
)
DIRECTIONS: dict[str, tuple[int, int]] = {
    stem(word): (group, pole)
    for group, poles in enumerate(_OPPOSITES)
    for pole, words in enumerate(poles)
    for word in words.split()
}

# Quantifier classes; a claim in the first class conflicts with a passage using only classes listed for it.
QUANTIFIERS = {
    **dict.fromkeys("all every each always entire whole everyone everything everywhere".split(), "all"),
    **dict.fromkeys("mostly majority usually generally".split(), "most"),
    **dict.fromkeys("some several certain sometimes occasionally partly partially".split(), "some"),
    **dict.fromkeys("many often frequently".split(), "many"),
    **dict.fromkeys("few rarely seldom hardly minority".split(), "few"),
}
QUANTIFIER_CONFLICTS = {
    "all": {"most", "many", "some", "few"},
    "most": {"few"},
    "many": {"few"},
    "few": {"most", "many", "all"},
}
# Bounds on a number: "at least 50" against "at most 50" / "fewer than 50".
LOWER_BOUNDS = frozenset({("at", "least"), ("more", "than"), ("over",), ("above",), ("exceed",), ("exceeding",)})
UPPER_BOUNDS = frozenset(
    {("at", "most"), ("up", "to"), ("less", "than"), ("fewer", "than"), ("under",), ("below",), ("no", "more", "than")}
)

# Words that make a claim absolute; a claim using one its evidence does not use is often an overstatement.
ABSOLUTES = frozenset(
    "only solely exclusively completely entirely totally fully always every never certainly definitely".split()
)
APPROXIMATORS = frozenset("about around approximately roughly nearly almost some circa estimated".split())
NUMBER_WORDS = {
    word: float(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "hundred": 100.0, "dozen": 12.0, "half": 0.5}
PERCENT_WORDS = frozenset({"percent", "pct", "percentage"})
MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr jun jul "
    "aug sep sept oct nov dec".split()
)
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
