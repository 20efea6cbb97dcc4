/*
 * kennisbank search: the client of the index built by generator/search.
 *
 * A classic script (not an ES module, so it also runs from file://). It
 * finds the search form of the page ([data-kb-search]), takes the relative
 * path to the site root from its data-root attribute and loads the index as
 * <script> files on demand: search/meta.js first, then the term shards the
 * query's words fall in, then the document shards of the results it shows.
 * Every index file calls window.__kbSearch.add(id, data).
 *
 * Queries are normalised exactly as generator/search/normalize.go does:
 * same folding, same stop words, and a hand-written port of the Dutch
 * Snowball stemmer (github.com/blevesearch/snowballstem/dutch). The Go
 * tests run this file in Chromium against testdata/stems.tsv.
 */
(function () {
  "use strict";

  if (window.__kbSearch && window.__kbSearch.add) {
    return; // loaded twice
  }

  // ---------------------------------------------------------------------
  // Normalisation: mirrors generator/search/normalize.go.

  var MIN_WORD = 2;
  var MAX_WORD = 48;

  var FOLD_GROUPS = "a:ÀÁÂÃÄÅàáâãäåĀāĂăĄą ae:Ææ c:ÇçĆćĈĉĊċČč d:ÐðĎďĐđ " +
    "e:ÈÉÊËèéêëĒēĔĕĖėĘęĚě g:ĜĝĞğĠġĢģ h:ĤĥĦħ i:ÌÍÎÏìíîïĨĩĪīĬĭĮįİı ij:Ĳĳ " +
    "j:Ĵĵ k:Ķķĸ l:ĹĺĻļĽľĿŀŁł n:ÑñŃńŅņŇňŉŊŋ o:ÒÓÔÕÖØòóôõöøŌōŎŏŐő oe:Œœ " +
    "r:ŔŕŖŗŘř s:ŚśŜŝŞşŠšſ ss:ßẞ t:ŢţŤťŦŧ th:Þþ u:ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų " +
    "w:Ŵŵ y:ÝýÿŶŷŸ z:ŹźŻżŽž";

  var FOLD = new Map();
  FOLD_GROUPS.split(" ").forEach(function (group) {
    var colon = group.indexOf(":");
    var to = group.slice(0, colon);
    for (var i = colon + 1; i < group.length; i++) {
      FOLD.set(group[i], to);
    }
  });

  var STOP = new Set(("aan al alles als altijd andere ben bij daar dan dat de " +
    "der deze die dit doch doen door dus een eens en er ge geen geweest haar " +
    "had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je " +
    "kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog " +
    "nu of om omdat onder ons ook op over reeds te tegen toch toen tot uit uw " +
    "van veel voor want waren was wat werd wezen wie wil worden wordt zal ze " +
    "zelf zich zij zijn zo zonder zou").split(" "));

  var LETTER = /[\p{L}\p{N}]/u;
  var MARK = /\p{Mn}/u;

  // words splits text into folded, lower-cased words, each with its start
  // and end offset in text.
  function words(text) {
    var out = [];
    var buf = "";
    var start = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      var ch = text[i];
      var add = null;
      if (c < 0x80) {
        if (c >= 65 && c <= 90) {
          add = String.fromCharCode(c + 32);
        } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
          add = ch;
        }
      } else if (c < 0xd800 || c > 0xdfff) {
        var f = FOLD.get(ch);
        if (f !== undefined) {
          add = f;
        } else if (MARK.test(ch)) {
          continue;
        } else if (LETTER.test(ch)) {
          var lower = ch.toLowerCase();
          add = lower.length === 1 ? lower : ch;
        }
      }
      if (add !== null) {
        if (buf === "") {
          start = i;
        }
        buf += add;
      } else if (buf !== "") {
        out.push({ w: buf, start: start, end: i });
        buf = "";
      }
    }
    if (buf !== "") {
      out.push({ w: buf, start: start, end: text.length });
    }
    return out;
  }

  function isASCII(s) {
    for (var i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  // term turns a folded word into an index term, or null for stop words
  // and words too short or too long.
  function term(w) {
    if (w.length < MIN_WORD || w.length > MAX_WORD || STOP.has(w)) {
      return null;
    }
    return stemFolded(w);
  }

  function stemFolded(w) {
    return isASCII(w) ? snowballDutch(w) : w;
  }

  function normalize(text) {
    var out = [];
    words(text).forEach(function (x) {
      var t = term(x.w);
      if (t !== null) {
        out.push(t);
      }
    });
    return out;
  }

  function stem(word) {
    return stemFolded(words(word).map(function (x) { return x.w; }).join(""));
  }

  // ---------------------------------------------------------------------
  // The Dutch Snowball stemmer (the original Porter algorithm that
  // snowballstem/dutch implements), step by step as in dutch_stemmer.go.

  var V = new Set("aeiouyè");          // g_v
  var V_I = new Set("aeiouyèI");       // g_v_I
  var V_J = new Set("aeiouyèj");       // g_v_j
  var PRELUDE = { "á": "a", "ä": "a", "é": "e", "ë": "e", "í": "i", "ï": "i",
    "ó": "o", "ö": "o", "ú": "u", "ü": "u" };

  function snowballDutch(word) {
    // prelude: fold accents, mark y and i that act as consonants.
    var s = [];
    for (var i = 0; i < word.length; i++) {
      s.push(PRELUDE[word[i]] || word[i]);
    }
    if (s[0] === "y") {
      s[0] = "Y";
    }
    for (i = 0; i < s.length; i++) {
      if (!V.has(s[i])) {
        continue;
      }
      if (s[i + 1] === "i" && V.has(s[i + 2])) {
        s[i + 1] = "I";
      } else if (s[i + 1] === "y") {
        s[i + 1] = "Y";
      }
    }
    var w = s.join("");
    var n = w.length;

    // mark_regions: p1 and p2 per the Snowball definition, p1 at least 3.
    var p1 = n;
    var p2 = n;
    var c = 0;
    while (c < n && !V.has(w[c])) c++;
    if (c < n) {
      c++;
      while (c < n && V.has(w[c])) c++;
      if (c < n) {
        c++;
        p1 = c < 3 ? 3 : c;
        while (c < n && !V.has(w[c])) c++;
        if (c < n) {
          c++;
          while (c < n && V.has(w[c])) c++;
          if (c < n) {
            p2 = c + 1;
          }
        }
      }
    }

    var eFound = false;

    function ends(suffix) {
      return w.length >= suffix.length && w.slice(w.length - suffix.length) === suffix;
    }
    function cut(pos) {
      w = w.slice(0, pos);
    }
    function undouble() {
      if (ends("kk") || ends("dd") || ends("tt")) {
        cut(w.length - 1);
      }
    }
    function eEnding() {
      eFound = false;
      var pos = w.length - 1;
      if (!ends("e") || pos < p1 || pos < 1 || V.has(w[pos - 1])) {
        return;
      }
      cut(pos);
      eFound = true;
      undouble();
    }
    function enEnding(pos) {
      if (pos < p1 || pos < 1 || V.has(w[pos - 1])) {
        return;
      }
      if (pos >= 3 && w.slice(pos - 3, pos) === "gem") {
        return;
      }
      cut(pos);
      undouble();
    }
    function longest(suffixes) {
      for (var k = 0; k < suffixes.length; k++) {
        if (ends(suffixes[k])) {
          return suffixes[k];
        }
      }
      return "";
    }

    // standard_suffix, step 1: heden, ene, en, se, s.
    var m = longest(["heden", "ene", "en", "se", "s"]);
    var pos = w.length - m.length;
    if (m === "heden") {
      if (pos >= p1) {
        w = w.slice(0, pos) + "heid";
      }
    } else if (m === "ene" || m === "en") {
      enEnding(pos);
    } else if (m === "se" || m === "s") {
      if (pos >= p1 && pos >= 1 && !V_J.has(w[pos - 1])) {
        cut(pos);
      }
    }

    // Step 2: e.
    eEnding();

    // Step 3: heid.
    if (ends("heid")) {
      pos = w.length - 4;
      if (pos >= p2 && !(pos >= 1 && w[pos - 1] === "c")) {
        cut(pos);
        if (ends("en")) {
          enEnding(w.length - 2);
        }
      }
    }

    // Step 4: end, ing, ig, lijk, baar, bar.
    m = longest(["lijk", "baar", "end", "ing", "bar", "ig"]);
    pos = w.length - m.length;
    if (m !== "" && pos >= p2) {
      if (m === "end" || m === "ing") {
        cut(pos);
        var ig = w.length - 2;
        if (ends("ig") && ig >= p2 && !(ig >= 1 && w[ig - 1] === "e")) {
          cut(ig);
        } else {
          undouble();
        }
      } else if (m === "ig") {
        if (!(pos >= 1 && w[pos - 1] === "e")) {
          cut(pos);
        }
      } else if (m === "lijk") {
        cut(pos);
        eEnding();
      } else if (m === "baar") {
        cut(pos);
      } else if (m === "bar" && eFound) {
        cut(pos);
      }
    }

    // Step 5: undouble a vowel before a final consonant (maak → mak).
    var L = w.length;
    if (L >= 4 && !V_I.has(w[L - 1])) {
      var pair = w.slice(L - 3, L - 1);
      if ((pair === "aa" || pair === "ee" || pair === "oo" || pair === "uu") &&
          !V.has(w[L - 4])) {
        w = w.slice(0, L - 2) + w[L - 1];
      }
    }

    // postlude
    return w.replace(/I/g, "i").replace(/Y/g, "y");
  }

  // ---------------------------------------------------------------------
  // Index loading.

  var registry = {
    data: new Map(),    // id → data
    waiting: new Map(), // id → {resolve, reject}
    loading: new Map(), // id → promise
    root: "",
    hash: "",
  };

  function add(id, data) {
    registry.data.set(id, data);
    var w = registry.waiting.get(id);
    if (w) {
      registry.waiting.delete(id);
      w.resolve(data);
    }
  }

  function load(id, path) {
    if (registry.data.has(id)) {
      return Promise.resolve(registry.data.get(id));
    }
    var p = registry.loading.get(id);
    if (p) {
      return p;
    }
    p = new Promise(function (resolve, reject) {
      registry.waiting.set(id, { resolve: resolve, reject: reject });
      var el = document.createElement("script");
      el.src = registry.root + "search/" + path + (registry.hash ? "?v=" + registry.hash : "");
      el.async = true;
      el.onload = function () {
        if (registry.waiting.has(id)) {
          registry.waiting.delete(id);
          reject(new Error("search: " + path + " did not register " + id));
        }
      };
      el.onerror = function () {
        registry.waiting.delete(id);
        registry.loading.delete(id);
        reject(new Error("search: cannot load " + el.src));
      };
      document.head.appendChild(el);
    });
    registry.loading.set(id, p);
    return p;
  }

  function loadMeta() {
    return load("meta", "meta.js").then(function (meta) {
      if (!meta.docTypes) {
        registry.hash = meta.h;
        meta.docTypes = varints(meta.dt); // type of each document
      }
      return meta;
    });
  }

  function termShard(i) {
    return load("t" + i, "t/" + i + ".js");
  }

  function docShard(i) {
    return load("d" + i, "d/" + i + ".js");
  }

  // shardOf returns the number of the term shard a string falls in: the last
  // shard whose first term is not after it.
  function shardOf(meta, s) {
    var lo = 0;
    var hi = meta.tk.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.tk[mid] <= s) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  // lowerBound returns the first index in sorted keys not before s.
  function lowerBound(keys, s) {
    var lo = 0;
    var hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] < s) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  // ---------------------------------------------------------------------
  // Queries. The Go tests hold a copy of this logic (query_test.go) to rank
  // without a browser; keep them in step.

  var MAX_BACKOFF = 8;
  var MIN_BACKOFF_STEM = 3;
  var BACKOFF_WEIGHT = 0.8;
  var SUFFIXES = ["heid", "heden", "ing", "ingen", "lijk", "lijke", "lijkheid",
    "ijk", "ijke", "baar", "bare", "end", "ende", "enden", "ig", "ige", "igen",
    "igheid", "igheden", "en", "ene", "e", "s", "se"];
  var MAX_RESULTS = 10;
  // An exact match of a word still being typed whose stem is shorter than
  // the word: "contracte" stems to "contract" but is on its way to
  // "contracteren".
  var OPEN_EXACT_WEIGHT = 0.7;
  // The name match (generator/search package documentation, "Ranking"):
  // a document the query names fully scores up to 1 + NAME_BOOST times its
  // BM25F score, an entity page up to 1 + NAME_BOOST + ENTITY_BOOST times.
  var NAME_BOOST = 2;
  var ENTITY_BOOST = 1;

  function partialSuffix(r) {
    if (r === "") {
      return false;
    }
    return SUFFIXES.some(function (s) { return s.slice(0, r.length) === r; });
  }

  // backoff returns the stems a half-typed word may be on its way to:
  // "vaardighe" is on its way to "vaardigheid", whose stem is "vaardig".
  function backoff(w, exact) {
    var out = [];
    for (var k = Math.max(MIN_BACKOFF_STEM, w.length - MAX_BACKOFF); k < w.length; k++) {
      var t = w.slice(0, k);
      var r = w.slice(k);
      if (t === exact) {
        continue;
      }
      if (partialSuffix(r) || (r[0] === t[k - 1] && (r.length === 1 || partialSuffix(r.slice(1))))) {
        out.push(t);
      }
    }
    return out;
  }

  // parse turns a query into clauses, one per word; every clause must
  // match. The last word, unless followed by a space, is still being typed:
  // it also matches the terms it is a prefix of.
  function parse(q) {
    var ws = words(q).map(function (x) { return x.w; });
    var open = ws.length > 0 && !/\s$/.test(q);
    var clauses = [];
    var seen = new Set();
    ws.forEach(function (w, i) {
      var t = term(w);
      var c;
      if (open && i === ws.length - 1) {
        var prefix = w.length >= MIN_WORD ? w : "";
        if (t === null && prefix === "") {
          return;
        }
        c = { exact: t || "", prefix: prefix, back: prefix ? backoff(w, t || "") : [],
          weight: t === w ? 1 : OPEN_EXACT_WEIGHT };
      } else {
        if (t === null) {
          return;
        }
        c = { exact: t, prefix: "", back: [], weight: 1 };
      }
      var key = c.exact + "\u0000" + c.prefix;
      if (!seen.has(key)) {
        seen.add(key);
        clauses.push(c);
      }
    });
    return clauses;
  }

  // shardsFor lists the term shards a clause needs.
  function shardsFor(meta, c) {
    var need = new Set();
    if (c.exact) {
      need.add(shardOf(meta, c.exact));
    }
    if (c.prefix) {
      var last = shardOf(meta, c.prefix + "\uffff");
      for (var i = shardOf(meta, c.prefix); i <= last; i++) {
        need.add(i);
      }
    }
    c.back.forEach(function (t) { need.add(shardOf(meta, t)); });
    return need;
  }

  // indexOf returns the shard holding term t and its index there, or null.
  function indexOf(meta, shards, t) {
    var sh = shards.get(shardOf(meta, t));
    var i = lowerBound(sh.k, t);
    return i < sh.k.length && sh.k[i] === t ? { sh: sh, i: i } : null;
  }

  // Postings are packed into strings (generator/search appendPostings):
  // per posting the gap to the previous document number in base 32, most
  // significant digit first, digits worth 32 or more saying another
  // follows; then the score in two base-64 digits.
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var di = 0; di < DIGITS.length; di++) {
    DIGIT[DIGITS.charCodeAt(di)] = di;
  }

  // varints decodes a string of base-32 numbers (meta.dt).
  function varints(s) {
    var out = [];
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var v = DIGIT[s.charCodeAt(i)];
      n = n * 32 + (v & 31);
      if (v < 32) {
        out.push(n);
        n = 0;
      }
    }
    return out;
  }

  // eachPosting calls fn(doc, at) for each posting of list: the gap to
  // the document number (base-32 digits, a set high bit for "more")
  // followed by size digits, which start at at.
  function eachPosting(list, size, fn) {
    var doc = 0;
    var i = 0;
    while (i < list.length) {
      var gap = 0;
      var v;
      do {
        v = DIGIT[list.charCodeAt(i++)];
        gap = gap * 32 + (v & 31);
      } while (v >= 32);
      doc += gap;
      fn(doc, i);
      i += size;
    }
  }

  // addPostings records, per document, the best weighted score: postings
  // hold two digits of score after the gap.
  function addPostings(scores, list, weight) {
    eachPosting(list, 2, function (doc, at) {
      var s = (DIGIT[list.charCodeAt(at)] * 64 + DIGIT[list.charCodeAt(at + 1)]) * weight;
      var had = scores.get(doc);
      if (had === undefined || s > had) {
        scores.set(doc, s);
      }
    });
  }

  // addNames records, per document, the best name match: name postings
  // (generator/search appendNamePostings) hold per document the gap as
  // postings do, then one digit: the length of the shortest name with the
  // term, plus 32 for an entity page.
  function addNames(names, list, weight) {
    eachPosting(list, 1, function (doc, at) {
      var code = DIGIT[list.charCodeAt(at)];
      var share = weight / (code & 31);
      var m = names.get(doc);
      if (m === undefined) {
        names.set(doc, { weight: weight, share: share, entity: code >= 32 });
      } else {
        m.weight = Math.max(m.weight, weight);
        m.share = Math.max(m.share, share);
      }
    });
  }

  // clauseScores maps each document the clause matches to its score, and
  // each whose names it matches to the name match ({weight, share,
  // entity}, in names); it collects the terms that matched (for
  // highlighting).
  function clauseScores(meta, shards, c, hits, names) {
    var scores = new Map();
    function add(sh, i, weight) {
      addPostings(scores, sh.p[i], weight);
      addNames(names, sh.n ? sh.n[i] : "", weight);
      hits.add(sh.k[i]);
    }
    if (c.exact) {
      var at = indexOf(meta, shards, c.exact);
      if (at) {
        add(at.sh, at.i, c.weight);
      }
    }
    if (c.prefix) {
      var first = shardOf(meta, c.prefix);
      var last = shardOf(meta, c.prefix + "\uffff");
      for (var n = first; n <= last; n++) {
        var sh = shards.get(n);
        for (var i = lowerBound(sh.k, c.prefix); i < sh.k.length; i++) {
          var t = sh.k[i];
          if (t.slice(0, c.prefix.length) !== c.prefix) {
            break;
          }
          if (t === c.exact) {
            continue;
          }
          add(sh, i, 0.6 + 0.4 * c.prefix.length / t.length);
        }
      }
    }
    c.back.forEach(function (t) {
      var at = indexOf(meta, shards, t);
      if (at) {
        add(at.sh, at.i, BACKOFF_WEIGHT);
      }
    });
    return scores;
  }

  // boost multiplies the score of a match by how well the query of n
  // clauses names the document: the mean of the share of the query found
  // in its names and the share of its shortest name the query covers.
  function boost(a, n) {
    var match = (a.nameWeight / n + Math.min(1, a.nameShare)) / 2;
    var b = a.entity ? NAME_BOOST + ENTITY_BOOST : NAME_BOOST;
    a.score = a.score * (1 + match * b);
  }

  // query runs q, keeping only documents of the given type ("" for all).
  // It resolves to {total, all, counts, results, clauses, hits}: total
  // matches of the type, all matches, counts per type over all matches,
  // and the best limit (MAX_RESULTS) results with their display data.
  function query(q, type, limit) {
    limit = limit || MAX_RESULTS;
    var clauses = parse(q);
    return loadMeta().then(function (meta) {
      var empty = { total: 0, all: 0, counts: {}, results: [], clauses: clauses, hits: new Set() };
      if (clauses.length === 0) {
        return empty;
      }
      var need = new Set();
      clauses.forEach(function (c) {
        shardsFor(meta, c).forEach(function (n) { need.add(n); });
      });
      var ids = Array.from(need).sort(function (a, b) { return a - b; });
      return Promise.all(ids.map(termShard)).then(function (loaded) {
        var shards = new Map();
        ids.forEach(function (n, i) { shards.set(n, loaded[i]); });
        var hits = new Set();
        var acc = new Map();
        clauses.forEach(function (c) {
          var names = new Map();
          clauseScores(meta, shards, c, hits, names).forEach(function (s, doc) {
            var a = acc.get(doc);
            if (a) {
              a.score += s;
              a.matched++;
            } else {
              a = { doc: doc, score: s, matched: 1, nameWeight: 0, nameShare: 0, entity: false };
              acc.set(doc, a);
            }
            var m = names.get(doc);
            if (m) {
              a.nameWeight += m.weight;
              a.nameShare += m.share;
              a.entity = m.entity;
            }
          });
        });
        var all = [];
        acc.forEach(function (a) {
          if (a.matched === clauses.length) {
            all.push(a);
          }
        });
        if (all.length === 0 && clauses.length > 1) {
          // No document has every word: rank those with some of them.
          acc.forEach(function (a) {
            a.score = a.score * a.matched / clauses.length;
            all.push(a);
          });
        }
        var counts = {};
        all.forEach(function (a) {
          boost(a, clauses.length);
          var ty = meta.types[meta.docTypes[a.doc]];
          counts[ty] = (counts[ty] || 0) + 1;
        });
        var typeIndex = type ? meta.types.indexOf(type) : -1;
        var list = type ? all.filter(function (a) { return meta.docTypes[a.doc] === typeIndex; }) : all;
        list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        var top = list.slice(0, limit);
        var need = new Set(top.map(function (a) { return Math.floor(a.doc / meta.dn); }));
        var dids = Array.from(need).sort(function (a, b) { return a - b; });
        return Promise.all(dids.map(docShard)).then(function (dl) {
          var docs = new Map();
          dids.forEach(function (n, i) { docs.set(n, dl[i]); });
          var results = top.map(function (a) {
            var row = docs.get(Math.floor(a.doc / meta.dn))[a.doc % meta.dn];
            return { doc: a.doc, score: a.score, url: row[0], title: row[1],
              section: row[2], text: row[3], type: meta.types[meta.docTypes[a.doc]] };
          });
          return { total: list.length, all: all.length, counts: counts, results: results,
            clauses: clauses, hits: hits };
        });
      });
    });
  }

  // ---------------------------------------------------------------------
  // Highlighting and snippets.

  // matcher returns whether a word of a result should be highlighted.
  function matcher(res) {
    var prefixes = res.clauses.map(function (c) { return c.prefix; }).filter(Boolean);
    return function (w) {
      for (var i = 0; i < prefixes.length; i++) {
        if (w.slice(0, prefixes[i].length) === prefixes[i]) {
          return true;
        }
      }
      var t = stemFolded(w);
      if (res.hits.has(t)) {
        return true;
      }
      // A compound found through its last part ("groepsdynamiek" for
      // "dynamiek").
      var found = false;
      res.hits.forEach(function (h) {
        if (h.length >= 4 && t.length > h.length && t.slice(t.length - h.length) === h) {
          found = true;
        }
      });
      return found;
    };
  }

  // highlight appends text to el with matched words in <mark>.
  function highlight(el, text, match) {
    var at = 0;
    words(text).forEach(function (x) {
      if (!match(x.w)) {
        return;
      }
      if (x.start > at) {
        el.appendChild(document.createTextNode(text.slice(at, x.start)));
      }
      var m = document.createElement("mark");
      m.textContent = text.slice(x.start, x.end);
      el.appendChild(m);
      at = x.end;
    });
    if (at < text.length) {
      el.appendChild(document.createTextNode(text.slice(at)));
    }
  }

  var SNIPPET_CHARS = 170;

  // snippet cuts a window of text around the first matched word.
  function snippet(text, match) {
    var ws = words(text);
    var first = null;
    for (var i = 0; i < ws.length; i++) {
      if (match(ws[i].w)) {
        first = ws[i];
        break;
      }
    }
    var start = 0;
    if (first && first.end > SNIPPET_CHARS - 20) {
      start = first.start - 50;
      for (i = 0; i < ws.length; i++) {
        if (ws[i].start >= start) {
          start = ws[i].start;
          break;
        }
      }
    }
    var end = Math.min(text.length, start + SNIPPET_CHARS);
    if (end < text.length) {
      var sp = text.lastIndexOf(" ", end);
      if (sp > start) {
        end = sp;
      }
    }
    var out = text.slice(start, end).trim();
    if (start > 0) {
      out = "…" + out;
    }
    if (end < text.length && out.slice(-1) !== "…") {
      out = out.replace(/[\s,;:.\-–]+$/, "") + "…";
    }
    return out;
  }

  // ---------------------------------------------------------------------
  // User interface.

  // href turns a URL relative to the site root into a link from this page;
  // folders get index.html, so that links work from file:// too.
  function href(url) {
    if (url === "" || url.slice(-1) === "/") {
      url += "index.html";
    }
    return registry.root + url;
  }

  function setup(form) {
    var input = form.querySelector("input[type=search]");
    var panel = form.querySelector(".kb-search__panel");
    var list = form.querySelector("[role=listbox]");
    var filters = form.querySelector(".kb-search__filters");
    var status = form.querySelector("[role=status]");
    var count = form.querySelector(".kb-search__count");
    var hint = form.querySelector(".kb-search__hint");
    var key = form.querySelector(".kb-search__key");
    if (!input || !panel || !list || !status) {
      return;
    }
    var text = {
      results: form.getAttribute("data-label-results") || "",
      none: form.getAttribute("data-label-none") || "",
      all: form.getAttribute("data-label-all") || "",
    };
    var state = { seq: 0, type: "", active: -1, options: [], timer: 0, last: null };

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    if (hint) {
      input.setAttribute("aria-describedby", hint.id);
    }
    if (key) {
      key.hidden = false;
    }
    form.classList.add("kb-search--js");

    function open(yes) {
      panel.hidden = !yes;
      input.setAttribute("aria-expanded", yes ? "true" : "false");
      if (!yes) {
        activate(-1);
      }
    }

    function activate(i) {
      state.options.forEach(function (o, j) {
        o.setAttribute("aria-selected", j === i ? "true" : "false");
      });
      state.active = i;
      if (i >= 0 && state.options[i]) {
        input.setAttribute("aria-activedescendant", state.options[i].id);
        state.options[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function announce(msg) {
      if (status.textContent !== msg) {
        status.textContent = msg;
      }
      if (count) {
        count.textContent = msg;
      }
    }

    function renderFilters(res) {
      if (!filters) {
        return;
      }
      filters.textContent = "";
      var types = Object.keys(res.counts).filter(Boolean).sort();
      if (state.type && types.indexOf(state.type) < 0) {
        types.push(state.type);
        types.sort();
      }
      if (types.length === 0) {
        filters.hidden = true;
        return;
      }
      filters.hidden = false;
      [""].concat(types).forEach(function (ty) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "kb-search__filter";
        b.setAttribute("data-type", ty);
        b.setAttribute("aria-pressed", ty === state.type ? "true" : "false");
        var n = ty ? res.counts[ty] || 0 : res.all;
        var label = document.createElement("span");
        label.className = "kb-search__filter-label";
        label.textContent = ty || text.all;
        var num = document.createElement("span");
        num.className = "kb-search__filter-count";
        num.textContent = String(n);
        b.appendChild(label);
        b.appendChild(document.createTextNode(" "));
        b.appendChild(num);
        b.addEventListener("click", function () {
          state.type = ty === state.type ? "" : ty;
          run(true);
        });
        filters.appendChild(b);
      });
    }

    function renderResults(res) {
      list.textContent = "";
      state.options = [];
      state.active = -1;
      input.removeAttribute("aria-activedescendant");
      var match = matcher(res);
      res.results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.className = "kb-search__result";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-type", r.type);
        var a = document.createElement("a");
        a.href = href(r.url);
        a.tabIndex = -1;
        var title = document.createElement("span");
        title.className = "kb-search__title";
        highlight(title, r.title, match);
        a.appendChild(title);
        var where = [r.section, r.type].filter(Boolean).join(" · ");
        if (where) {
          var sec = document.createElement("span");
          sec.className = "kb-search__section";
          sec.textContent = where;
          a.appendChild(sec);
        }
        if (r.text) {
          var snip = document.createElement("span");
          snip.className = "kb-search__snippet";
          highlight(snip, snippet(r.text, match), match);
          a.appendChild(snip);
        }
        li.appendChild(a);
        li.addEventListener("mousemove", function () {
          if (state.active !== i) {
            activate(i);
          }
        });
        list.appendChild(li);
        state.options.push(li);
      });
    }

    function run(keepOpen) {
      var q = input.value;
      var seq = ++state.seq;
      if (words(q).length === 0) {
        state.last = null;
        list.textContent = "";
        state.options = [];
        announce("");
        open(false);
        return;
      }
      query(q, state.type).then(function (res) {
        if (seq !== state.seq) {
          return; // a newer query is on its way
        }
        state.last = res;
        renderFilters(res);
        renderResults(res);
        announce(res.total === 0 ? text.none : res.total + " " + text.results);
        if (keepOpen || document.activeElement === input || form.contains(document.activeElement)) {
          open(true);
        }
      }, function (err) {
        if (window.console) {
          window.console.warn(err);
        }
      });
    }

    function go(i) {
      var o = state.options[i];
      if (!o) {
        return false;
      }
      var a = o.querySelector("a");
      window.location.href = a.href;
      return true;
    }

    input.addEventListener("input", function () {
      clearTimeout(state.timer);
      state.timer = setTimeout(run, 60);
    });
    input.addEventListener("focus", function () {
      if (state.last && input.value) {
        open(true);
      }
    });
    input.addEventListener("keydown", function (e) {
      var n = state.options.length;
      switch (e.key) {
      case "ArrowDown":
      case "ArrowUp":
        if (n === 0) {
          return;
        }
        e.preventDefault();
        if (panel.hidden) {
          open(true);
        }
        var step = e.key === "ArrowDown" ? 1 : -1;
        var i = state.active < 0 ? (step > 0 ? 0 : n - 1) : (state.active + step + n) % n;
        activate(i);
        break;
      case "Enter":
        if (n > 0 && !panel.hidden && go(state.active >= 0 ? state.active : 0)) {
          e.preventDefault();
        }
        break;
      case "Escape":
        if (!panel.hidden) {
          e.preventDefault();
          open(false);
        } else if (input.value) {
          e.preventDefault();
          input.value = "";
          run();
        }
        break;
      }
    });
    form.addEventListener("submit", function (e) {
      // With results, go to the chosen one; without, fall back to the A–Z
      // page the form points at.
      if (state.options.length > 0 && go(state.active >= 0 ? state.active : 0)) {
        e.preventDefault();
      }
    });
    // Clicks in the panel keep the focus in the field, so the panel stays
    // open and typing goes on (Safari does not focus buttons on click).
    panel.addEventListener("mousedown", function (e) {
      e.preventDefault();
    });
    form.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
        open(false);
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) {
        return;
      }
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
        return;
      }
      e.preventDefault();
      input.focus();
      input.select();
    });
    if (input.value) {
      run();
    }
  }

  window.__kbSearch = {
    add: add,
    words: words,
    normalize: normalize,
    stem: stem,
    snowball: snowballDutch,
    parse: parse,
    query: query,
  };

  function init() {
    var forms = document.querySelectorAll("[data-kb-search]");
    if (forms.length > 0) {
      registry.root = forms[0].getAttribute("data-root") || "";
    }
    Array.prototype.forEach.call(forms, setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
