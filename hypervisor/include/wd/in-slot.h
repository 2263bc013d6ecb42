/*
 * IN_SLOT("name"): a function of its own section, .text.lead.name, which
 * hypervisor.lds places in the unused space of an exception-vector slot (the
 * architecture makes each slot 128 bytes; a vector needs 8 to 36 of them).
 * Only for small functions whose size does not depend on other files' code
 * (leaves, or calls they do not inline): one that outgrows its place fails
 * the link, naming hypervisor.lds, where it can move to another slot or be
 * left out (then it goes with the rest of the code). Nothing on the host.
 */
#ifndef WD_IN_SLOT_H
#define WD_IN_SLOT_H

#ifdef __WARDEN_FREESTANDING__
#define IN_SLOT(name)	__attribute__((section(".text.lead." name)))
#else
#define IN_SLOT(name)
#endif

#endif
