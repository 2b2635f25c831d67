"""The handout screen: a tablet page that logs handouts through the encounter API, offline first."""
