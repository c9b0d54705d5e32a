"""Records in and out of other tools' shapes; for now that is pandas frames only.

:func:`custdb.frame` turns records into a DataFrame with real dtypes and
:func:`custdb.from_pandas` turns such a frame back into records (``io/frame.py``);
:class:`Records`, what ``select`` returns, is a list that frames itself with
``to_pandas()``. pandas is an optional extra, imported only when a frame is made.
"""

from __future__ import annotations

from custdb.io.records import Records

__all__ = ["Records"]
