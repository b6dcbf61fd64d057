"""Sources of the store's layers: the real shipped data and the illustrative generator."""
