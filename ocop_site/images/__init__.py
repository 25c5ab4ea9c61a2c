"""Photos: the Pillow work (decode, upright, sRGB, resize, encode) and the processed photos'
cache and models."""
