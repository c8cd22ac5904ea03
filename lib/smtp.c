/*
 * smtp.c: one SMTP transaction per message through libcurl, which
 * speaks the protocol, upgrades with STARTTLS, authenticates and escapes
 * lines that start with a dot.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "addrlist.h"
#include "arena.h"
#include "conf.h"
#include "log.h"
#include "smtp.h"

/* The message as libcurl reads it for the DATA command. */
struct upload {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

static size_t
read_upload(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct upload	*u = ctx;
	size_t		 n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(buf, u->data + u->off, n);
	u->off += n;
	return n;
}

enum tw_smtp_outcome
tw_smtp_outcome(int curl_rc, long reply_code)
{
	if (curl_rc == CURLE_OK)
		return TW_SMTP_SENT;

	/* A refused login or TLS that cannot be had is our configuration's
	 * fault, not the message's (RFC 4954 gives 530, 534, 535, 538). */
	if (curl_rc == CURLE_LOGIN_DENIED || curl_rc == CURLE_USE_SSL_FAILED ||
	    reply_code == 530 || reply_code == 534 || reply_code == 535 ||
	    reply_code == 538)
		return TW_SMTP_RETRY;

	/* RFC 5321 section 4.2.1: 5yz is a permanent negative reply. */
	if (reply_code >= 500 && reply_code <= 599)
		return TW_SMTP_REJECTED;
	return TW_SMTP_RETRY;
}

/* CURLUSESSL_* for [smtp] starttls. */
static long
starttls_level(void)
{
	const char	*v = tw_conf_str("smtp", "starttls", "try");

	if (strcasecmp(v, "require") == 0)
		return (long)CURLUSESSL_ALL;
	if (strcasecmp(v, "off") == 0)
		return (long)CURLUSESSL_NONE;
	return (long)CURLUSESSL_TRY;
}

static void
set_options(CURL *c, const char *from, struct curl_slist *rcpt,
    struct upload *u, char *errbuf)
{
	const char	*v;

	curl_easy_setopt(c, CURLOPT_URL, tw_conf_str("smtp", "url",
	    "smtp://127.0.0.1:25"));
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, starttls_level());
	if (*(v = tw_conf_str("smtp", "ca_file", "")) != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, v);
	if (*(v = tw_conf_str("smtp", "user", "")) != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, v);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
		    tw_conf_str("smtp", "password", ""));
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	    tw_conf_int("smtp", "connect_timeout", 10));
	curl_easy_setopt(c, CURLOPT_TIMEOUT, tw_conf_int("smtp", "timeout",
	    60));
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);

	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
	curl_easy_setopt(c, CURLOPT_READDATA, u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

enum tw_err
tw_smtp_send(struct tw_arena *a, const char *from, const char *to,
    const struct tw_addrlist *cc, const char *raw, size_t len,
    enum tw_smtp_outcome *outcome, const char **why)
{
	struct upload		 u = { raw, len, 0 };
	struct curl_slist	*rcpt = NULL;
	char			 errbuf[CURL_ERROR_SIZE] = "";
	const char		*envelope;
	long			 code = 0;
	CURLcode		 res;
	size_t			 i;
	CURL			*c;

	*outcome = TW_SMTP_RETRY;
	*why = NULL;
	if ((c = curl_easy_init()) == NULL)
		return TW_ERR_INTERNAL;
	envelope = tw_conf_str("smtp", "envelope_from", "");
	if (*envelope == '\0')
		envelope = from;

	rcpt = curl_slist_append(rcpt, tw_arena_printf(a, "<%s>", to));
	for (i = 0; cc != NULL && i < cc->n; i++)
		rcpt = curl_slist_append(rcpt, tw_arena_printf(a, "<%s>",
		    cc->addr[i]));
	set_options(c, tw_arena_printf(a, "<%s>", envelope), rcpt, &u,
	    errbuf);
	res = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);

	*outcome = tw_smtp_outcome((int)res, code);
	if (*outcome != TW_SMTP_SENT && code > 0)
		*why = tw_arena_printf(a, "%s (server reply %ld)", *errbuf !=
		    '\0' ? errbuf : curl_easy_strerror(res), code);
	else if (*outcome != TW_SMTP_SENT)
		*why = tw_arena_strdup(a, *errbuf != '\0' ? errbuf :
		    curl_easy_strerror(res));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return TW_OK;
}
