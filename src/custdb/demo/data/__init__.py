"""The demo sample that ``custdb demo`` loads (written by ``scripts/make_demo_data.py``)."""
