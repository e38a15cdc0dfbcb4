"""Pure pandas transforms for the pages: filters, joins and aggregations that never mutate their input."""
