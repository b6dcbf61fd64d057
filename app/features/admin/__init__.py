"""The Admin page: accounts and the audit log."""
