"""The human review: queue order, leases, submits with versions and idempotency keys, audit, re-validation."""
