"""Terms on short documents: insurance questions (train, one a line) or People's Daily cut one sentence a line.

    python scripts/bench_terms_short.py insq|pd
"""
import sys, time, re, collections
from textmine.corpus import datasets
from textmine.words import TermContraster
def pd_sentences():
    out=[]
    for doc in datasets.peoples_daily_text():
        out += [s for s in re.split(r"(?<=[。！？；])", doc) if s.strip()]
    return out
name=sys.argv[1]
docs = [q["question"] for q in datasets.insurance_questions("train")] if name=="insq" else pd_sentences()
print(name, len(docs), sum(map(len,docs)))
t=time.time()
c=TermContraster("jieba").fit(docs)
print("kept", len(c.kept_terms_), "of", len(c.terms_), round(time.time()-t,1))
print(collections.Counter(x for t in c.terms_ for x in t.demoted.split(",") if x))
print(" ".join(t.term for t in c.kept_terms_[:50]))
