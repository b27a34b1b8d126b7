"""Errors raised while reading and ingesting a file, with messages a practitioner can act on."""


class IngestError(Exception):
    """A file could not be ingested; the message says why and what to do."""


class UnsupportedFileType(IngestError):
    """The file's type is not one the hub reads."""


class FileTooLarge(IngestError):
    """The file is over the configured size limit."""


class UnreadableFile(IngestError):
    """The file is malformed, encrypted or not what its name says."""


class NoTextError(IngestError):
    """The file holds no text that can be extracted (for example a scanned PDF)."""


class MetadataError(IngestError):
    """The file's metadata (front matter, kind, date) is invalid."""


class RestoreConflict(IngestError):
    """A document from the trash cannot come back: another now holds its place."""
