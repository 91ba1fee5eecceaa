"""The `llm` backend: schema-guided extraction through instructor over any OpenAI-compatible
endpoint, or the embedded llama.cpp model when none is configured.

Decisions (measured on the embedded Qwen2.5-Coder-0.5B Q4_K_M, 2 cores):
- instructor `Mode.JSON` on every endpoint; on the embedded llama.cpp server the request also carries
  `response_format={"type": "json_object", "schema": ...}`, which constrains decoding by grammar
  (`Mode.JSON_SCHEMA` gets HTTP 500 there). On 表3 of seed 004, JSON with and without the grammar
  returned the same 11 rows; TOOLS returned 14 rows with duplicates and misplaced numbers.
- The model sees one small chunk of one table: cells broken over lines joined into one line per
  printed row, row codes joined (`201 38 1` -> `2013801`), the header repeated, at most 14 rows
  (fewer for wide tables); plus the kind's field meanings, a synthetic one-shot example, and the
  document text fenced as data. Grounding (`grounding.py`) then reads every value back from the
  original text; what it cannot find is never auto-accepted.
- llama.cpp gets cpu_count - 1 threads: its spinning threads collapse (43 -> 0.3 tokens/s) when they
  compete with other processes for every core.
- Budgets (measured: whole tables cost ~40 s per call and ~5 min per document there): 30 s of LLM
  calls per document (`llm_document_deadline_s`), 15 s per HTTP attempt (`llm_timeout_s`, cut to
  what is left of the deadline, and bounding the whole reply, so a slow drip ends too), and a circuit
  breaker per endpoint (`breaker.py`): 3 consecutive failed attempts open it, an open breaker skips
  calls at once, one probe attempt per 60 s cool-down. The embedded server keeps generating after a
  client gives up, so timeouts are not retried there.
- Replies are cached by sha256(endpoint, model, prompt version, sha256(model, mode, messages,
  schema)); the endpoint is the base URL, or the embedded model file. Errors are never cached or
  replayed. `eval/recordings/` (same format, written by `extractor llm record`, re-keyed from their own
  request digests by `scripts/rekey_recordings.py`) is read after the cache, so CI replays real runs
  with no model.
"""

from extractor.llm.extract import LLMSegmentError, classify_segment, extract_segment

__all__ = ["LLMSegmentError", "classify_segment", "extract_segment"]
