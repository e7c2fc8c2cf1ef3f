"""Reading other people's lists: LinkedIn's Connections.csv (alone or in its export zip), vCard
files and shared phone contacts, and planning what an import would change.

Pure: bytes in, typed records out (`people`), with `FileRefused` for a file that cannot be read.
"""
