"""The five-colour risk map: an offline base layer, the map's layers, and SVG drawn on the server."""
