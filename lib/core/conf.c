/*
 * conf.c: a small ini reader.  Entries are kept in a flat array; there
 * are a few dozen at most and lookups happen at start-up.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "log.h"
#include "text.h"

struct entry {
	char	*section;
	char	*key;
	char	*value;
};

static struct entry	*entries;
static size_t		 nentries;

void
tw_conf_clear(void)
{
	size_t	i;

	for (i = 0; i < nentries; i++) {
		free(entries[i].section);
		free(entries[i].key);
		free(entries[i].value);
	}
	free(entries);
	entries = NULL;
	nentries = 0;
}

static int
add(const char *section, const char *key, const char *value)
{
	struct entry	*n;

	n = realloc(entries, (nentries + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	entries = n;
	n = &entries[nentries];
	n->section = strdup(section);
	n->key = strdup(key);
	n->value = strdup(value);
	if (n->section == NULL || n->key == NULL || n->value == NULL)
		return -1;
	nentries++;
	return 0;
}

enum tw_err
tw_conf_parse(const char *text)
{
	char		 section[64] = "", lineno[16];
	char		*copy, *line, *save, *eq, *p;
	int		 n = 0;
	enum tw_err	 rc = TW_OK;

	tw_conf_clear();
	if ((copy = strdup(text)) == NULL)
		return TW_ERR_NOMEM;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		n++;
		p = tw_trim(line);
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;

		if (*p == '[') {
			char *end = strchr(p, ']');

			if (end == NULL ||
			    (size_t)(end - p) > sizeof(section)) {
				rc = TW_ERR_INVALID;
				break;
			}
			*end = '\0';
			snprintf(section, sizeof(section), "%s",
			    tw_trim(p + 1));
			continue;
		}

		if ((eq = strchr(p, '=')) == NULL) {
			rc = TW_ERR_INVALID;
			break;
		}
		*eq = '\0';
		if (add(section, tw_trim(p), tw_trim(eq + 1)) == -1) {
			rc = TW_ERR_NOMEM;
			break;
		}
	}

	if (rc == TW_ERR_INVALID) {
		snprintf(lineno, sizeof(lineno), "%d", n);
		tw_log(TW_LOG_ERROR, "config_invalid", "line", lineno,
		    (char *)NULL);
	}
	free(copy);
	return rc;
}

enum tw_err
tw_conf_load(const char *path)
{
	char		*text;
	enum tw_err	 rc;

	if (path == NULL && (path = getenv("TW_CONFIG")) == NULL)
		return TW_OK;
	if ((text = tw_file_read(path, 1024 * 1024, NULL)) == NULL) {
		if (errno == ENOENT)
			return TW_OK;
		tw_log(TW_LOG_ERROR, "config_open", "path", path,
		    "error", strerror(errno), (char *)NULL);
		return TW_ERR_IO;
	}

	rc = tw_conf_parse(text);
	free(text);
	return rc;
}

const char *
tw_conf_str(const char *section, const char *key, const char *def)
{
	char		 name[128];
	const char	*env;
	size_t		 i;

	snprintf(name, sizeof(name), "TW_%s_%s", section, key);
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)toupper((unsigned char)name[i]);
	if ((env = getenv(name)) != NULL)
		return env;

	for (i = 0; i < nentries; i++)
		if (strcmp(entries[i].section, section) == 0 &&
		    strcmp(entries[i].key, key) == 0)
			return entries[i].value;
	return def;
}

long
tw_conf_int(const char *section, const char *key, long def)
{
	const char	*s;
	char		*end;
	long		 v;

	if ((s = tw_conf_str(section, key, NULL)) == NULL || *s == '\0')
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return def;
	return v;
}

const char *
tw_conf_url(struct tw_arena *a, const char *path)
{
	const char	*base = tw_conf_str("http", "public_url", "");
	size_t		 n = strlen(base);

	if (n > 0 && base[n - 1] == '/')
		n--;
	return tw_arena_printf(a, "%.*s%s", (int)n, base, path);
}
