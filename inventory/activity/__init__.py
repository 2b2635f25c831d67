"""The program activity log: events, hours and locations of operation per site, and a narrative
per report period - text about the program, never about a person."""
