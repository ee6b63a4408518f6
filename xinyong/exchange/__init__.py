"""Exchange with other platforms (issue #17): the outbound change feeds read by cursor, file
exchange in the national format, reconciliation digests, and signed change subscriptions
(webhooks) delivered by the worker."""
