"""A multipart/form-data body streamed from a file, so an upload of any size is never
held in memory (requests builds `files=` bodies whole)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 1 << 20


def streamed_form(fields: dict[str, str], filename: str, file: BinaryIO,
                  content_type: str = "application/octet-stream") -> tuple[Iterator[bytes], str]:
    """The body (a generator, sent chunked) and its Content-Type header."""
    boundary = f"trackboard-{uuid.uuid4().hex}"

    def body() -> Iterator[bytes]:
        for name, value in fields.items():
            yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                   ).encode() + value.encode("utf-8") + b"\r\n"
        safe = filename.replace("\\", "_").replace('"', "_").replace("\r", "_").replace("\n", "_")
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
               f"filename=\"{safe}\"\r\nContent-Type: {content_type}\r\n\r\n").encode()
        while True:
            chunk = file.read(CHUNK)
            if not chunk:
                break
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    return body(), f"multipart/form-data; boundary={boundary}"
