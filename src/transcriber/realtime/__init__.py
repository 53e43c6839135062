"""Live events: a table written with each change, fanned out to WebSockets."""
