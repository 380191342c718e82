"""The lesson around nncore: its config file, the values each scene shows, and the CLI."""
