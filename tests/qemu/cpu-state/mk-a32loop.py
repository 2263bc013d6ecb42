#!/usr/bin/env python3
"""For tests/qemu/63-cpu-state.sh: write a static AArch32 (ARM, EABI5) Linux
executable that counts down from 0x04000000 in a tight loop and exits 0. It
runs in AArch32 EL0 on a 64-bit kernel, so the interrupts that arrive while
it runs are exceptions from AArch32 state. No cross compiler for 32-bit Arm
is needed: the six instructions are encoded here.
usage: mk-a32loop.py OUTPUT"""
import os
import struct
import sys

BASE = 0x10000
code = [
    0xe3000000,  # movw r0, #0
    0xe3400400,  # movt r0, #0x0400
    0xe2500001,  # 1: subs r0, r0, #1
    0x1afffffd,  # bne 1b
    0xe3a00000,  # mov r0, #0
    0xe3a07001,  # mov r7, #1 (exit)
    0xef000000,  # svc #0
]
text = b"".join(struct.pack("<I", w) for w in code)
ehsize, phsize = 52, 32
entry = BASE + ehsize + phsize
size = ehsize + phsize + len(text)
ident = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, 40, 1, entry, ehsize, 0,
                           0x05000400,  # EABI5, hard-float ABI flag
                           ehsize, phsize, 1, 40, 0, 0)
phdr = struct.pack("<IIIIIIII", 1, 0, BASE, BASE, size, size, 5, 0x1000)
with open(sys.argv[1], "wb") as f:
    f.write(ehdr + phdr + text)
os.chmod(sys.argv[1], 0o755)
