/*
 * text.c: hex digits, trimming, cutting and reading small files.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "text.h"

int
tw_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
tw_trim(char *s)
{
	char	*end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

const char *
tw_text_cut(struct tw_arena *a, const char *s, size_t max)
{
	size_t	i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max)
			return tw_arena_strndup(a, s, i);
	}
	return s;
}

char *
tw_file_read(const char *path, size_t max, size_t *len)
{
	FILE	*f;
	char	*text = NULL;
	long	 size;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    (size_t)size > max || fseek(f, 0, SEEK_SET) != 0)
		goto cleanup;
	if ((text = malloc((size_t)size + 1)) == NULL)
		goto cleanup;
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		text = NULL;
		goto cleanup;
	}
	text[size] = '\0';
	if (len != NULL)
		*len = (size_t)size;

cleanup:
	fclose(f);
	return text;
}
