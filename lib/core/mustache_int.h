/*
 * mustache_int.h: the compiled form of a template, shared by the compiler
 * in mustache_compile.c and the renderer in mustache_render.c and private
 * to them; other code includes mustache.h.
 *
 * A template is a flat array of operations.  A section is one operation
 * followed by its body and records how many operations the body holds, so
 * the renderer can skip or repeat it.  Text and names live in one pool per
 * template: a copy of the template text first, then every name as
 * NUL-terminated segments ("a.b" is kept as "a\0b\0"), and beside it the
 * json-c hash of every segment, so that a lookup hashes nothing at render
 * time (json-c hashes keys the same in every object of a process, with
 * a seed it draws once).  An operation that
 * begins a line of output is marked, so the renderer can write the
 * indentation of the standalone partials it is inside there.
 */
#ifndef TW_MUSTACHE_INT_H
#define TW_MUSTACHE_INT_H

#include <stddef.h>

enum opkind {
	OP_TEXT,		/* literal text */
	OP_VAR,			/* {{name}}: the value, escaped */
	OP_RAW,			/* {{{name}}} or {{&name}}: the value as is */
	OP_SECTION,		/* {{#name}} and its body */
	OP_INVERTED,		/* {{^name}} and its body */
	OP_PARTIAL		/* {{>name}} */
};

struct op {
	enum opkind	 kind;
	int		 bol;		/* begins a line of output */
	int		 standalone;	/* OP_PARTIAL: alone on its line */
	size_t		 str;		/* pool offset of the text or name */
	size_t		 len;		/* OP_TEXT: bytes; names: segments */
	size_t		 hash;		/* names: the first segment's hash */
	size_t		 body;		/* sections: operations in the body */
	size_t		 indent;	/* standalone OP_PARTIAL: pool offset */
	size_t		 indentlen;	/* and length of the whitespace */
};

struct tw_mustache {
	struct op	*ops;
	size_t		 nops;
	char		*pool;
	unsigned long	*hashes;	/* of each name segment, in order */
};

#endif
