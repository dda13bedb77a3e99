"""Rubric suggestions: which points an open answer seems to cover, conservatively.

The candidate grades themselves; a suggestion only pre-ticks a box, so a wrong one
flatters the attempt and a missed one costs a keystroke. Suggestions therefore err on
the side of silence:

- Evidence is a rubric point's `keywords`, matched on word forms (plurals, -ing, -ed,
  -ation, British/American -ise/-ize; hyphens and spaces alike) and on spelled-out
  names of acronyms in both directions ("PSI" and "population stability index").
- A keyword made only of generic words ("timeout", "model", "data", "regression", ...)
  is no evidence at all; a keyword shared by several points of the same rubric is no
  evidence for any of them.
- Keywords count only where they appear in prose: a sentence of at least four words
  that is not mostly keywords (a bare list of buzzwords is no answer).
- A point is suggested when at least two distinct keywords give evidence, or one
  phrase of three or more specific words ("population stability index"): one word or
  a two-word phrase alone never suffices.

`tests/test_suggest.py` holds a labelled set of (answer, point, should-tick) cases;
`bench/suggest_quality.py` reports precision and recall on it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


def _words(text: str) -> set[str]:
    return set(text.split())


MIN_DISTINCT = 2  # distinct keywords with evidence needed to suggest a point
MIN_SENTENCE_WORDS = 4
MAX_KEYWORD_SHARE = 0.75  # a sentence more than this share keyword words is a buzzword list

# Words too common in these answers to show that a point is covered, on their own.
GENERIC = frozenset(_words("""
a an the and or of to in on for with by at from as is are be it this that we our
data model models modeling modelling feature features system systems service services
latency timeout timeouts score scores scoring threshold thresholds metric metrics
monitor monitoring test tests testing train training pipeline pipelines log logs
logging alert alerts alerting api cache database db queue queues table tables job
jobs user users account accounts time real regression classification classifier
label labels prediction predictions predict use using used based approach
performance quality accuracy value values rate rates check checks risk
"""))

# Acronyms and their spelled-out names, matched in either direction.
ALIASES: dict[str, tuple[str, ...]] = {
    "owasp": ("open worldwide application security project", "open web application security project"),
    "nist ai rmf": ("nist ai risk management framework", "ai risk management framework"),
    "ai rmf": ("ai risk management framework",),
    "psi": ("population stability index",),
    "gbdt": ("gradient boosted decision trees", "gradient boosted trees", "gradient boosting"),
    "shap": ("shapley additive explanations", "shapley values"),
    "pii": ("personally identifiable information",),
    "slo": ("service level objective",),
    "sla": ("service level agreement",),
    "ks": ("kolmogorov smirnov",),
    "auc": ("area under the curve",),
    "pr auc": ("precision recall auc", "area under the precision recall curve"),
    "roc auc": ("area under the roc curve",),
    "rag": ("retrieval augmented generation",),
    "llm": ("large language model",),
    "kyc": ("know your customer",),
    "aml": ("anti money laundering",),
    "ato": ("account takeover",),
    "ece": ("expected calibration error",),
    "dlq": ("dead letter queue",),
    "cdc": ("change data capture",),
    "scd": ("slowly changing dimension",),
    "ttl": ("time to live",),
    "2fa": ("two factor authentication", "two factor"),
    "mfa": ("multi factor authentication", "multi factor"),
    "rbac": ("role based access control",),
    "dp": ("differential privacy",),
    "hnsw": ("hierarchical navigable small world",),
    "ann": ("approximate nearest neighbour", "approximate nearest neighbor"),
    "ltv": ("lifetime value",),
    "cuped": ("controlled experiment using pre experiment data",),
    "mde": ("minimum detectable effect",),
    "fpr": ("false positive rate",),
    "tpr": ("true positive rate",),
    "ndcg": ("normalized discounted cumulative gain", "normalised discounted cumulative gain"),
    "mlp": ("multilayer perceptron", "multi layer perceptron"),
    "sgd": ("stochastic gradient descent",),
    "vae": ("variational autoencoder",),
    "gnn": ("graph neural network",),
    "lora": ("low rank adaptation",),
    "rlhf": ("reinforcement learning from human feedback",),
    "ci cd": ("continuous integration", "continuous delivery"),
    "p99": ("99th percentile",),
}

_WORD = re.compile(r"[a-z0-9]+")
# Sentence ends, blank lines, and list items or headings at the start of a line; a single
# newline is a soft wrap inside a paragraph.
_SENTENCE = re.compile(r"[.!?;]+(?=\s|$)|\n\s*\n|\n\s*(?:[-*•]|\d+[.)]|#+)\s")


@dataclass(frozen=True)
class Suggestion:
    """Whether to pre-tick a point, and the keywords (as the pack wrote them) that matched."""

    hit: bool
    matched: tuple[str, ...] = ()


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    # Hyphens, slashes and underscores join words: "point-in-time" is "point in time".
    return re.sub(r"[-_/]", " ", text.replace("'s ", " ").replace("’s ", " "))


# Short tokens that are names, not words: matched exactly (a plural "s" allowed), so
# that "shapes" never counts as SHAP.
ACRONYMS = frozenset({t for k in ALIASES for t in k.split()} | _words("""
shap psi gbdt auc roc llm pii rag kyc aml ato ece dlq cdc scd ttl slo sla ks dp ann
ltv mde fpr tpr mlp sgd vae gnn rnn cnn lstm gpu cpu api sql etl elt oof iid kl mse mae
rmse xgb dag p99 p95 p50 nli bert gpt sft dpo ppo kv moe tls mtls jwt sso otp ip vpn
"""))


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light, consistent English stemmer: plural, -ing, -ed, -ly, and -ise as -ize.

    Matching then also accepts one stem being a prefix of the other (see `_same`), which
    joins "explore"/"exploration" and "leak"/"leakage" without a full stemmer.
    """
    if len(word) <= 3 or word.isdigit() or word in ACRONYMS:
        return word
    if word.endswith("s") and word[:-1] in ACRONYMS:
        return word[:-1]  # "LLMs"
    w = re.sub(r"is(e|ed|es|ing|ation|ations)$", r"iz\1", word)
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ings", ""), ("ing", ""), ("edly", ""),
                         ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "s" and w.endswith(("ss", "us", "is", "as")):
            break
        if suffix == "es" and not w.endswith(("sses", "shes", "ches", "xes", "zes")):
            continue  # "rates" is "rate" + s
        w = w[: len(w) - len(suffix)] + repl
        break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiousl":
        w = w[:-1]  # "logging" -> "logg" -> "log"
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]  # "rate"/"rating" meet at "rat", "cache"/"caching" at "cach"
    # A word that stems to an acronym ("shapes" -> "shap") must not read as one.
    return w + "_" if w in ACRONYMS else w


def _same(key: str, word: str) -> bool:
    """Whether a keyword's stem and an answer word's stem are the same word form."""
    if key == word:
        return True
    if key in ACRONYMS or word in ACRONYMS:
        return False
    short, long_ = (key, word) if len(key) <= len(word) else (word, key)
    return len(short) >= 4 and long_.startswith(short)


def _tokens(text: str) -> list[str]:
    return _WORD.findall(_normalise(text))


def _stems(tokens: Sequence[str]) -> tuple[str, ...]:
    return tuple(stem(t) for t in tokens)


@lru_cache(maxsize=4096)
def _variants(keyword: str) -> tuple[tuple[str, ...], ...]:
    """The keyword's stem sequences, with its acronym or spelled-out forms."""
    base = " ".join(_tokens(keyword))
    forms = {base}
    for short, longs in ALIASES.items():
        if base == short or base in longs:
            forms.add(short)
            forms.update(longs)
    return tuple(sorted({_stems(f.split()) for f in forms if f}))


def _is_generic(keyword: str) -> bool:
    return all(t in GENERIC for t in _tokens(keyword))


@dataclass
class _Sentence:
    stems: tuple[str, ...]

    def find(self, seq: tuple[str, ...]) -> list[int]:
        n = len(seq)
        return [i for i in range(len(self.stems) - n + 1)
                if all(_same(k, w) for k, w in zip(seq, self.stems[i : i + n], strict=True))]


# A heading on a line of its own ("**Selection bias**", "## Costs") belongs to the
# paragraph under it, not to a sentence of its own.
_HEADING = re.compile(r"^[ \t]*(?:#+[ \t]*|\*\*)(.+?)(?:\*\*)?[ \t]*:?[ \t]*\n(?:[ \t]*\n)?", re.M)


def _sentences(answer: str) -> list[_Sentence]:
    text = _HEADING.sub(lambda m: m.group(1).strip(" *") + " - ", answer)
    return [_Sentence(_stems(_tokens(part))) for part in _SENTENCE.split(_normalise(text))
            if part and part.strip()]


def suggestions(answer: str, rubric: Sequence) -> list[Suggestion]:
    """One Suggestion per rubric point (objects with `keywords`), in order."""
    sentences = _sentences(answer)
    groups = [_groups(p.keywords) for p in rubric]
    # A keyword listed under several points of this rubric tells none of them apart.
    shared = Counter(key for g in groups for key in g)
    out = []
    for point_groups in groups:
        usable = {key: kws for key, kws in point_groups.items() if shared[key] == 1}
        found = _evidence(sentences, usable)
        strength = sum(2 if _long_phrase(key) else 1 for key in found)
        matched = tuple(kw for key in found for kw in usable[key][:1])
        out.append(Suggestion(strength >= MIN_DISTINCT, matched))
    return out


def _groups(keywords: Sequence[str]) -> dict[tuple, list[str]]:
    """Non-generic keywords grouped by what they match: "per-withdrawal" and "per
    withdrawal", or "PSI" and "population stability index", are one piece of evidence."""
    out: dict[tuple, list[str]] = {}
    for k in keywords:
        if k.strip() and not _is_generic(k):
            out.setdefault(_variants(k), []).append(k)
    return out


def _long_phrase(key: tuple) -> bool:
    """Three or more specific words in a row ("key padding mask") are evidence enough."""
    return any(sum(1 for w in seq if w not in GENERIC) >= 3 for seq in key)


def _evidence(sentences: list[_Sentence], groups: dict[tuple, list[str]]) -> list[tuple]:
    """The keyword groups found in prose sentences of the answer.

    Within a sentence, words already counted for one group count for no other (so
    "gradient boosting" is one piece of evidence even when two keywords name it), and
    three or more keywords in a row with nothing but punctuation between them are a
    list of buzzwords, which counts as one.
    """
    found: dict[tuple, None] = {}
    for s in sentences:
        if len(s.stems) < MIN_SENTENCE_WORDS:
            continue
        spans: list[tuple[int, int, tuple]] = []
        for key in groups:
            for seq in key:
                for i in s.find(seq):
                    spans.append((i, i + len(seq), key))
        # Longest first: a phrase claims its words before a keyword inside it does.
        spans.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        taken: set[int] = set()
        hits: list[tuple[int, int, tuple]] = []
        for start, end, key in spans:
            words = set(range(start, end))
            if words & taken or any(h[2] == key for h in hits):
                continue
            taken |= words
            hits.append((start, end, key))
        if not hits or len(taken) > MAX_KEYWORD_SHARE * len(s.stems):
            continue
        hits.sort()
        run: list[tuple] = []
        last_end = -1
        for start, end, key in hits:
            if run and start != last_end:
                _count_run(run, found)
                run = []
            run.append(key)
            last_end = end
        _count_run(run, found)
    return list(found)


def _count_run(run: list[tuple], found: dict[tuple, None]) -> None:
    if len(run) >= 3:
        found.setdefault(run[0], None)  # a bare list of keywords: one piece of evidence
    else:
        found.update(dict.fromkeys(run))


def premark(answer: str, rubric: Sequence) -> list[bool]:
    """Which rubric points to pre-tick for this answer."""
    return [s.hit for s in suggestions(answer, rubric)]
