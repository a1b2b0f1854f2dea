#!/usr/bin/env python3
"""Writes hand-made malformed modules into fuzz/regressions/ as reject-*.wasm: sizes and
counts near 2^32, unterminated nesting, overflowing sums. Each must be rejected with
asyncify::Error (tests/unit/fuzz_regressions_test.cpp), never crash or allocate the claimed
size. Usage: fuzz/make-adversarial.py [OUT_DIR]"""
import os
import sys

HEADER = b'\0asm\1\0\0\0'


def leb(n):
    out = b''
    while True:
        b, n = n & 0x7f, n >> 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def section(ident, body):
    return bytes([ident]) + leb(len(body)) + body


def one_function(body):
    """A module with one [] -> [] function whose body (locals + code) is `body`."""
    return (HEADER + section(1, b'\x01\x60\0\0') + section(3, b'\x01\0')
            + section(10, b'\x01' + leb(len(body)) + body))


CASES = {
    'truncated-header': b'\0asm\1\0',
    'section-size-overflow': HEADER + b'\x01' + leb(0xffffffff),
    'huge-type-count': HEADER + section(1, leb(0xffffffff) + b'\x60\0\0'),
    'huge-param-count': HEADER + section(1, b'\x01\x60' + leb(0xfffffff0) + b'\x7f'),
    'huge-function-count': HEADER + section(1, b'\x01\x60\0\0') + section(3, leb(0xffffffff) + b'\0'),
    'huge-local-count': one_function(b'\x01' + leb(0xffffffff) + b'\x7f\x0b'),
    'local-count-sum-overflow': one_function(b'\x02' + leb(0xfffffff0) + b'\x7f' + leb(0x20) + b'\x7e\x0b'),
    'unterminated-deep-blocks': one_function(b'\0' + b'\x02\x40' * 20000),
    'huge-br-table': one_function(b'\0\x41\0\x0e' + leb(0xffffffff) + b'\0\x0b'),
    'huge-data-count': HEADER + section(5, b'\x01\x00\x01') + section(11, leb(0xffffffff)),
    'huge-memory-limit': HEADER + section(5, b'\x01\x01' + leb(0xffffffff) + leb(0xffffffff)),
    'custom-name-overflow': HEADER + b'\x00\x05' + leb(0xffffffff) + b'ab',
    'huge-select-type-count': one_function(b'\0\x41\0\x41\0\x41\0\x1c' + leb(0xffffffff) + b'\x7f\x1a\x0b'),
    'block-type-index-overflow': one_function(b'\0\x02' + leb(0x7fffffff) + b'\x0b\x0b'),
}

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'regressions')
os.makedirs(out, exist_ok=True)
for name, data in CASES.items():
    with open(os.path.join(out, f'reject-{name}.wasm'), 'wb') as f:
        f.write(data)
