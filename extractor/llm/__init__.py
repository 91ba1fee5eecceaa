"""The `llm` backend: schema-guided extraction through instructor over any OpenAI-compatible
endpoint, or the embedded llama.cpp model when none is configured."""

from extractor.llm.extract import LLMSegmentError, classify_segment, extract_segment

__all__ = ["LLMSegmentError", "classify_segment", "extract_segment"]
