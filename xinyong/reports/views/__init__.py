"""Pages of the reports app: verify.py (the public verification page and the published
keys), account.py (a company's reports on the portal), backoffice.py (review reports and
batches)."""
