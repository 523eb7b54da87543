"""The demo generator: a realistic, deterministic case load for the seven municipalities, at any size.

A tool on top of every app (it may import all of them; none imports it). One module per thing it
generates: `people` (users, teams, providers, contracts), `clients`, `onderzoeken` (meldingen,
onderzoeken, ZRM), `beschikkingen` (beschikkingen, four eyes, evaluations), `toewijzingen`
(toewijzingen, the providers' reports, verzoeken om wijziging), `numbering`, `timestamps`, and
`writer`, which streams each chunk into the database (PostgreSQL COPY, bulk_create on SQLite) with
primary keys reserved beforehand; `bulkload` lifts the case tables' keys and indexes around a large
load on PostgreSQL. `api_example` keeps the README's API example runnable on any day. `generator`
ties them together; `generate_demo` is the entry point.
"""
