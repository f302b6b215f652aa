"""The pieces of merging two subsets of one font: widths, Unicode maps, CID sets."""

from __future__ import annotations

import pikepdf
import pytest
from pikepdf import Array

from publish.pdf.incremental.resources import (
    Unmergeable,
    _cid_set,
    _cmap,
    _to_unicode,
    _width_array,
    _widths,
)


def test_widths_read_both_run_forms_and_write_runs_back() -> None:
    widths = _widths(Array([1, Array([250, 288]), 7, 9, 500]))
    assert widths == {1: 250, 2: 288, 7: 500, 8: 500, 9: 500}
    assert _widths(_width_array(widths)) == widths
    assert list(_width_array({3: 10, 4: 11, 9: 12})) == [3, Array([10, 11]), 9, Array([12])]


def test_a_unicode_map_round_trips_in_batches_of_a_hundred() -> None:
    texts = {cid: b"%04x" % (0x41 + cid % 26) for cid in range(250)}
    pdf = pikepdf.new()
    stream = pdf.make_stream(_cmap(texts))
    assert _to_unicode(stream) == texts
    assert stream.read_bytes().count(b"beginbfchar") == 3


def test_a_unicode_map_with_ranges_is_not_merged() -> None:
    pdf = pikepdf.new()
    ranged = pdf.make_stream(b"endcodespacerange\n1 beginbfrange\n<0001> <0005> <0041>\n")
    with pytest.raises(Unmergeable):
        _to_unicode(ranged)


def test_the_cid_set_has_a_bit_for_each_cid() -> None:
    assert _cid_set([0, 7, 9]) == bytes([0b10000001, 0b01000000])
