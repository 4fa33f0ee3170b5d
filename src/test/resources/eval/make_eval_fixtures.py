"""Reference values for Hanul's evaluation metrics, made by the tools people trust.

Retrieval: pytrec_eval (trec_eval's C code; pip install pytrec_eval-terrier) on a small BEIR-shaped set: graded
qrels (0-2) and one ranking per query, drawn with a fixed seed. Scores are distinct and descending, so trec_eval's
tie-breaking (by document id) never applies. Output: retrieval_reference.json.

Answers: the functions of SQuAD v1.1's official evaluate-v1.1.py (normalize_answer, exact_match_score, f1_score,
metric_max_over_ground_truths), copied verbatim below, on hand-written prediction/answer pairs that exercise
articles, punctuation, case, white space, partial overlap and several references. Output: squad_reference.json.

Run from this folder: python3 make_eval_fixtures.py
"""
import json
import random
import re
import string
from collections import Counter

import pytrec_eval


# --- SQuAD v1.1 official evaluation functions (evaluate-v1.1.py) ---
def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1


def exact_match_score(prediction, ground_truth):
    return (normalize_answer(prediction) == normalize_answer(ground_truth))


def metric_max_over_ground_truths(metric_fn, prediction, ground_truths):
    scores_for_ground_truths = []
    for ground_truth in ground_truths:
        score = metric_fn(prediction, ground_truth)
        scores_for_ground_truths.append(score)
    return max(scores_for_ground_truths)
# --- end of the official functions ---


def retrieval():
    rng = random.Random(20261203)
    docs = ["d%02d" % i for i in range(40)]
    qrels, run = {}, {}
    for q in range(25):
        qid = "q%02d" % q
        judged = rng.sample(docs, rng.randint(1, 6))
        qrels[qid] = {d: rng.choice([0, 1, 1, 2]) for d in judged}
        if all(g == 0 for g in qrels[qid].values()):
            qrels[qid][judged[0]] = 1
        ranking = rng.sample(docs, 20)
        # Put some judged documents near the top, as a real retriever would.
        for d in judged[:rng.randint(0, len(judged))]:
            if d in ranking:
                ranking.remove(d)
            ranking.insert(rng.randint(0, 9), d)
        ranking = ranking[:20]
        run[qid] = {d: float(100 - i) for i, d in enumerate(ranking)}
    measures = {"ndcg_cut_10", "recall_10", "recip_rank", "ndcg_cut_5", "recall_5"}
    results = pytrec_eval.RelevanceEvaluator(qrels, measures).evaluate(run)
    out = []
    for qid in sorted(qrels):
        ranking = [d for d, _ in sorted(run[qid].items(), key=lambda kv: -kv[1])]
        r = results[qid]
        out.append({"query": qid, "qrels": qrels[qid], "ranking": ranking,
                    "ndcg@10": r["ndcg_cut_10"], "recall@10": r["recall_10"], "mrr": r["recip_rank"],
                    "ndcg@5": r["ndcg_cut_5"], "recall@5": r["recall_5"]})
    with open("retrieval_reference.json", "w") as f:
        json.dump(out, f, indent=1)


def squad():
    pairs = [
        ("The Eiffel Tower", ["Eiffel Tower"]),
        ("eiffel tower.", ["The Eiffel Tower"]),
        ("in Paris, France", ["Paris"]),
        ("Paris", ["Lyon", "Paris, France"]),
        ("1889", ["in 1889", "1889"]),
        ("an apple a day", ["apple day"]),
        ("Gustave Eiffel's company", ["Gustave Eiffel"]),
        ("  multiple   spaces here ", ["multiple spaces here"]),
        ("No overlap at all", ["something else"]),
        ("", ["empty prediction"]),
        ("the the the", ["the"]),
        ("U.S.A.", ["USA"]),
        ("rock-and-roll music", ["rock and roll"]),
        ("Theatre of the Absurd", ["theatre absurd", "Theater of the Absurd"]),
        ("42 (forty-two)", ["42"]),
        ("Newton's laws of motion", ["laws of motion", "Newton's three laws"]),
        ("A", ["an"]),
        ("Denver Broncos", ["Denver Broncos", "Broncos"]),
        ("Saint Bernadette Soubirous", ["Saint Bernadette Soubirous"]),
        ("the Main Building's gold dome", ["a golden statue of the Virgin Mary"]),
    ]
    out = []
    for prediction, answers in pairs:
        out.append({"prediction": prediction, "answers": answers,
                    "em": float(metric_max_over_ground_truths(exact_match_score, prediction, answers)),
                    "f1": float(metric_max_over_ground_truths(f1_score, prediction, answers))})
    with open("squad_reference.json", "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    retrieval()
    squad()
