"""Reading files into one text per document (see `readers`) and normalising it (see `normalize`)."""

from extractor.ingest.readers import ingest_bytes, ingest_path

__all__ = ["ingest_bytes", "ingest_path"]
