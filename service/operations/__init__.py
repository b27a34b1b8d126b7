"""What a person can do in the hub, whichever way they ask: the API, the pages or the command line.

Each operation takes the open runtime and the acting `Caller`, checks that the caller may act
(`permissions`), acts, and only then writes the audit entry (`audit`). Routes and pages only
translate HTTP and HTML to and from these calls; the command line calls them as an admin.

- `documents`: upload, list, read, download, change, delete, related; export and import.
- `searching`: search (with confidence, language and spelling), related readings.
- `users`: add, list and remove users; sign in and out; read the audit log.
- `jobs`: the state of a background upload, for its uploader and admins.
"""
