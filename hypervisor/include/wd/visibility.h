/*
 * Everything in the image is local to it: with hidden visibility the compiler
 * addresses symbols PC-relatively instead of through a GOT.
 */
#pragma GCC visibility push(hidden)
