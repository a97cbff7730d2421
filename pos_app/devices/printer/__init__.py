"""Receipt printing: ESC/POS rendering and byte sinks."""
