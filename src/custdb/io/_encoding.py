"""The bytes of a CSV file as text, chunk by chunk, in the encoding the bytes show.

Spreadsheets save CSV in whatever the user's Windows speaks: UTF-8 (with a BOM from
Excel's "CSV UTF-8", without from everything else), Windows Cyrillic cp1251 (Excel's
plain "CSV" on a Russian Windows, Bitrix24, 1C), Western cp1252 (the same on a German or
Spanish one) and UTF-16 with a BOM (Excel's "Unicode text"). A BOM decides at once.
Without one, plain ASCII reads the same in all of them, so nothing is decided until the
first byte above 0x7F: from there a window of 64 KiB is tried as strict UTF-8 (a cp1251
or cp1252 text is practically never valid UTF-8), then as cp1251 and cp1252, each only
when the letters it gives look like words of that alphabet (cp1251 decodes almost any
byte, so decoding without error proves nothing). When none fits, the error names the
byte offset of the first byte that is not UTF-8.

Decoding streams: the file is read 256 KiB at a time, so memory stays flat in the
file's size, and a byte that does not decode later in the file is reported with its
offset and line.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import IO

from custdb.errors import FormatError, ValidationError

__all__ = ["CHUNK", "DecodedText"]

CHUNK = 1 << 18
_WINDOW = 1 << 16
_SNIFF = 4096

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32", "utf-32-be"),
    (b"\xff\xfe", "utf-16", "utf-16-le"),
    (b"\xfe\xff", "utf-16", "utf-16-be"),
)
"""(BOM, the name reported, the codec that decodes what follows the BOM)."""

_LABELS = {"cp1251": "Windows Cyrillic", "cp1252": "Windows Western European"}
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")

_CYRILLIC = frozenset(
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюяІіЇїЄєҐґЎўЈјЂђЃѓЉљЊњЌќЋћЏџЅѕ"
)
_LATIN = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŠšŽžŒœŸ")
_PUNCTUATION = frozenset("«»—–№“”„‘’‚…•€\xa0°§©®±·™")
_ALPHABETS = {"cp1251": _CYRILLIC, "cp1252": _LATIN}


class DecodedText:
    """The text of a binary stream in chunks, and the encoding it was read in.

    ``encoding`` is the name reported to the user ("utf-8", "utf-8-sig", "cp1251",
    "utf-16"...); a file in plain ASCII reports "utf-8". ``notes`` gets a sentence when
    the file is read in a single-byte Windows encoding, so the user can check the guess.
    """

    def __init__(
        self,
        stream: IO[bytes],
        *,
        name: str,
        encoding: str | None = None,
        head: bytes = b"",
        notes: list[str],
    ) -> None:
        self._stream = stream
        self._name = name
        self._head = head
        self._explicit = encoding is not None
        self._newlines = 0
        self.notes = notes
        self._codec = _codec_name(encoding) if encoding is not None else None
        self.encoding: str | None = self._codec or "utf-8"

    def chunks(self) -> Iterator[str]:
        """The decoded text, a chunk at a time; raises FormatError at a bad byte."""
        data = self._head
        while len(data) < 4:
            more = self._stream.read(CHUNK)
            if not more:
                break
            data += more
        for bom, reported, codec in _BOMS:
            if data.startswith(bom) and self._codec in (None, *_family(reported)):
                self.encoding = reported
                yield from self._decode(codec, data[len(bom) :], len(bom))
                return
        if self._codec is not None:
            yield from self._decode(self._codec, data, 0)
            return
        data += self._stream.read(CHUNK)
        if b"\x00" in data:
            codec = self._utf16_without_bom(data)
            self.encoding = codec
            yield from self._decode(codec, data, 0)
            return
        yield from self._ascii_until_decided(data)

    def _read(self) -> bytes:
        return self._stream.read(CHUNK)

    def _ascii_until_decided(self, data: bytes) -> Iterator[str]:
        offset = 0
        while data:
            found = None if data.isascii() else _NON_ASCII.search(data)
            if found is None:
                self._newlines += data.count(b"\n")
                yield data.decode("ascii")
                offset += len(data)
                data = self._read()
                continue
            start = found.start()
            if start:
                self._newlines += data.count(b"\n", 0, start)
                yield data[:start].decode("ascii")
            window, offset = data[start:], offset + start
            while len(window) < _WINDOW and (more := self._read()):
                window += more
            codec = self._decide(window, offset)
            yield from self._decode(codec, window, offset)
            return

    def _decide(self, window: bytes, offset: int) -> str:
        try:
            codecs.getincrementaldecoder("utf-8")("strict").decode(window, final=False)
        except UnicodeDecodeError as error:
            bad = error
        else:
            return "utf-8"
        for codec, alphabet in _ALPHABETS.items():
            try:
                text = window.decode(codec)
            except UnicodeDecodeError:
                continue
            if _reads_as(text, alphabet):
                self.encoding = codec
                self.notes.append(
                    f"read as {_LABELS[codec]} ({codec}): the file is not UTF-8; "
                    f"if the text looks wrong, give the file's encoding"
                )
                return codec
        raise FormatError(
            f"the {_bytes_at(window, bad.start, bad.end)} not text in UTF-8, Windows Cyrillic "
            "(cp1251) or Windows Western (cp1252)",
            source=self._name,
            line=self._newlines + window.count(b"\n", 0, bad.start) + 1,
            offset=offset + bad.start,
            hint='save the file as UTF-8 (Excel: "CSV UTF-8"), or give its encoding',
        )

    def _utf16_without_bom(self, data: bytes) -> str:
        head = data[:_SNIFF]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > len(head) // 4 and even < odd // 8:
            return "utf-16-le"
        if even > len(head) // 4 and odd < even // 8:
            return "utf-16-be"
        zero = data.index(b"\x00")
        raise FormatError(
            "a NUL byte: this is a binary file, not CSV text",
            source=self._name,
            line=data.count(b"\n", 0, zero) + 1,
            offset=zero,
            hint="give a CSV, TSV or .xlsx file (an .xls workbook must be saved as .xlsx)",
        )

    def _decode(self, codec: str, data: bytes, offset: int) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(codec)("strict")
        while True:
            final = not data
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(data, final=final)
            except UnicodeDecodeError as error:
                raise self._undecodable(
                    codec, pending + data, offset - len(pending), error
                ) from None
            if "\x00" in text:
                raise self._nul(codec, text, offset - len(pending))
            self._newlines += text.count("\n")
            if text:
                yield text
            if final:
                return
            offset += len(data)
            data = self._read()

    def _undecodable(
        self, codec: str, data: bytes, offset: int, error: UnicodeDecodeError
    ) -> FormatError:
        good = data[: error.start].decode(codec, errors="replace")
        line = self._newlines + good.count("\n") + 1
        at = offset + error.start
        what = _bytes_at(data, error.start, error.end)
        if self._explicit:
            return FormatError(
                f"the {what} not valid {codec}",
                source=self._name,
                line=line,
                offset=at,
                hint="check the encoding given, or give none to have it detected",
            )
        return FormatError(
            f"the {what} not valid {self.encoding}, though the text before is: "
            "the file mixes encodings",
            source=self._name,
            line=line,
            offset=at,
            hint='save the file again as UTF-8 (Excel: "CSV UTF-8"), or give its encoding',
        )

    def _nul(self, codec: str, text: str, offset: int) -> FormatError:
        before = text[: text.index("\x00")]
        width = len(before.encode(_WIDTHS.get(codec, codec), errors="replace"))
        return FormatError(
            "a NUL character: this is a binary file, or not in the encoding it was read in",
            source=self._name,
            line=self._newlines + before.count("\n") + 1,
            offset=offset + width,
            hint="give a CSV, TSV or .xlsx file, and its encoding if it is not detected",
        )


_WIDTHS = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}
"""Codecs that measure a text's length in bytes without counting a BOM."""


def _family(reported: str) -> tuple[str, ...]:
    """The encodings given by name whose BOM is this one: "utf-8" and "utf-8-sig" both
    skip a UTF-8 BOM, and "utf-16" or "utf-16-le" a UTF-16 one."""
    if reported == "utf-8-sig":
        return ("utf-8", "utf-8-sig")
    return (reported, f"{reported}-le", f"{reported}-be")


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ValidationError(
            "is not an encoding Python knows",
            value=encoding,
            hint='give a codec name such as "utf-8", "cp1251" or "utf-16"',
        ) from None


def _bytes_at(data: bytes, start: int, end: int) -> str:
    shown = data[start : min(end, start + 4)]
    text = " ".join(f"0x{byte:02x}" for byte in shown)
    return f"bytes {text} are" if len(shown) > 1 else f"byte {text} is"


def _reads_as(text: str, alphabet: frozenset[str]) -> bool:
    """Whether text decoded in a single-byte encoding looks written in it: no control
    characters; its non-ASCII characters letters of the alphabet or common punctuation;
    its words capitalised as words are (bytes of another encoding, KOI8-R or GBK
    Chinese say, give letters of odd case: "жБНЙМЙС"); and not Latin letters mixed with others (a
    German "Müller" read as cp1251 gives "Mьller"; a Russian word read as cp1252 gives
    "Èâàíîâ", no ASCII at all)."""
    if _CONTROLS.search(text):
        return False
    foreign = [char for char in text if char > "\x7f"]
    known = sum(1 for char in foreign if char in alphabet or char in _PUNCTUATION)
    if known < 0.95 * len(foreign):
        return False
    words = {word for word in _WORD.findall(text) if not word.isascii()}
    if not words:  # punctuation alone: "’" and "–" are the same bytes in both, "№" is not
        return "№" in foreign if alphabet is _CYRILLIC else True
    odd = sum(1 for word in words if _odd_case(word))
    if odd > 1 + len(words) // 10:
        return False
    mixed = sum(1 for word in words if _ASCII_LETTER.search(word))
    if alphabet is _CYRILLIC:
        return mixed <= 0.2 * len(words)
    return mixed >= 0.5 * len(words)


def _odd_case(word: str) -> bool:
    """A word cased as no word is: a capital after a small first letter ("жБНЙМЙС",
    KOI8-R read as cp1251), or three capitals running into a small letter ("ДРЬШЫШп",
    ISO 8859-5). "МегаФон", "СПб" and "ООО" are words; "iPhone" is rare enough."""
    if word[0].islower():
        return not word.islower()
    runs = zip(word, word[1:], word[2:], word[3:], strict=False)
    return any(a.isupper() and b.isupper() and c.isupper() and d.islower() for a, b, c, d in runs)
