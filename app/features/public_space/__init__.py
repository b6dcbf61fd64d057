"""The Public space page: service accessibility, safety audits and service links."""
