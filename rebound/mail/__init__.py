"""Read the user's own mail (mbox, .eml, pasted text), find what it says about the job search,
and match it to applications. Nothing here writes: findings become proposals in rebound.mail.repository
(store.mail),
and only the user's confirmation turns one into an event.

- parse: files and pasted text → `Mail` records (headers decoded, body as plain text, no attachments)
- classify: a `Mail` → kind, the sentence that decided it, and the employer's stated reason
- match: a `Mail` and the user's applications → company, role, application and how sure the match is
- scan: all of it over many files, with progress and per-file problems
"""
