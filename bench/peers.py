"""The peers of bench/peers.bench.ts: how a Python user counts a training file's tokens.

    python3 bench/peers.py notebook <file.jsonl>   # the OpenAI cookbook data-prep notebook's way
    python3 bench/peers.py pool <file.jsonl>       # the same count on multiprocessing.Pool(2)

Both count with the notebook's formula: 3 tokens per message + the tokens of every string value
in it (+1 for a "name") + 3 per example, with tiktoken's o200k_base `encode_ordinary`; for tool
calls and tool definitions they count what the project counts (function name and arguments; the
definitions' compact JSON), so the token totals of both sides must be identical. "notebook"
loads every line into a list first, as the notebook does; "pool" streams the file in 8 MiB
pieces of whole lines to two processes. Prints one JSON line: seconds, tokens, examples, peak RSS.
Needs `pip install tiktoken`; offline, TIKTOKEN_CACHE_DIR must hold o200k_base (the bench sets it).
"""
import json
import multiprocessing
import resource
import sys
import time

import tiktoken

PIECE = 8 * 1024 * 1024
_enc = None


def enc():
    global _enc
    if _enc is None:
        _enc = tiktoken.get_encoding("o200k_base")
    return _enc


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)


def count_example(example):
    e = enc()
    n = 0
    for message in example.get("messages", []):
        n += 3
        for key, value in message.items():
            if key == "tool_calls":
                # As the project bills a call: its function's name and arguments, not the call id.
                for call in value:
                    n += len(e.encode_ordinary(call["function"]["name"]))
                    n += len(e.encode_ordinary(call["function"]["arguments"]))
                continue
            for s in strings(value):
                n += len(e.encode_ordinary(s))
            if key == "name":
                n += 1
    if "tools" in example:
        # The project counts tool definitions as their compact JSON (rules.ts); so do the peers.
        n += len(e.encode_ordinary(json.dumps(example["tools"], separators=(",", ":"), ensure_ascii=False)))
    return n + 3


def count_piece(piece):
    total = 0
    examples = 0
    for line in piece.split(b"\n"):
        if line.strip():
            total += count_example(json.loads(line))
            examples += 1
    return total, examples


def pieces(path):
    with open(path, "rb") as f:
        rest = b""
        while True:
            block = f.read(PIECE)
            if not block:
                break
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            yield block[:cut]
        if rest:
            yield rest


def notebook(path):
    with open(path, encoding="utf-8") as f:
        dataset = [json.loads(line) for line in f if line.strip()]
    return sum(count_example(ex) for ex in dataset), len(dataset)


def pool(path):
    total = 0
    examples = 0
    with multiprocessing.Pool(2) as p:
        for t, n in p.imap(count_piece, pieces(path)):
            total += t
            examples += n
    return total, examples


def main():
    mode, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    tokens, examples = (notebook if mode == "notebook" else pool)(path)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    # Two workers alive at once: the parent plus twice the largest child is the peak's estimate.
    peak = own + (2 * child if mode == "pool" else 0)
    print(json.dumps({"seconds": seconds, "tokens": tokens, "examples": examples, "peakRssMB": peak}))


if __name__ == "__main__":
    main()
