"""Loading the landing zone into the raw and audit schemas of the warehouse."""
