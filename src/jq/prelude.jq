# saymon's jq prelude: what jaq's standard library lacks, or does otherwise than jq 1.8,
# and scripts meet. Each definition here is checked against jq itself through
# tests/jq/cases.json (.ci/jq-oracle). Later definitions shadow earlier ones, so jaq's own
# filters are kept first under `_jaq_*` names where a redefinition calls them.

def _jaq_range($from; $upto; $by): range($from; $upto; $by);
def _jaq_limit($n; f): limit($n; f);
def _jaq_skip($n; f): skip($n; f);
def _jaq_implode: implode;
def _jaq_explode: explode;
def _jaq_utf8bytelength: utf8bytelength;
def _jaq_startswith($s): startswith($s);
def _jaq_endswith($s): endswith($s);
def _jaq_trim: trim;
def _jaq_ltrim: ltrim;
def _jaq_rtrim: rtrim;
def _jaq_ascii_downcase: ascii_downcase;
def _jaq_ascii_upcase: ascii_upcase;
def _jaq_flatten($depth): flatten($depth);
def _jaq_test(re; flags): test(re; flags);
def _jaq_match(re; flags): match(re; flags);
def _jaq_capture(re; flags): capture(re; flags);
def _jaq_scan(re; flags): scan(re; flags);
def _jaq_split(re; flags): split(re; flags);

# jq's form of a type error: `number (1) is not a string`, the value cut at 30 bytes.
def _type_error($what): error("\(type) (\(_jqdump)) \($what)");

# Text: numbers as jq writes them (`50`, `1e+17`; `tojson` is saymon's writer).
def tostring: if type == "string" then . else tojson end;
def @text: tostring;
def @json: tojson;

# Generators: bounds that are not numbers are an error, as in jq (jaq counted on forever:
# numbers sort below strings, arrays and objects); a step of 0 gives nothing.
def range($from; $upto; $by):
  if ($from | type) == "number" and ($upto | type) == "number" and ($by | type) == "number"
  then if $by == 0 then empty else _jaq_range($from; $upto; $by) end
  else error("Range bounds must be numeric") end;
def range($from; $upto): range($from; $upto; 1);
def range($upto): range(0; $upto);
def limit($n; f):
  if $n > 0 then _jaq_limit($n; f) elif $n == 0 then empty
  else error("limit doesn't support negative count") end;
def skip($n; f):
  if $n > 0 then _jaq_skip($n; f) elif $n == 0 then f
  else error("skip doesn't support negative count") end;
def nth($n; f):
  if $n < 0 then error("nth doesn't support negative indices") else first(skip($n; f)) end;

# --jq filters one document: there is no further input.
def input: error("No more inputs");
def inputs: empty;

# Paths: null gives null all the way down; a key that does not fit the value is jq's error.
def getpath($path):
  if ($path | type) != "array" then error("Path must be specified as an array")
  else reduce $path[] as $key (.;
    if . == null
      or (type == "object" and ($key | type) == "string")
      or (type == "array" and (($key | type) == "number" or ($key | type) == "object"))
    then .[$key]
    else error("Cannot index \(type) with \($key | type) (\($key | _jqdump))") end)
  end;

# Strings, with jq's errors on what is not one.
def startswith($s):
  if type == "string" and ($s | type) == "string" then _jaq_startswith($s)
  else error("startswith() requires string inputs") end;
def endswith($s):
  if type == "string" and ($s | type) == "string" then _jaq_endswith($s)
  else error("endswith() requires string inputs") end;
def ltrimstr($x): if startswith($x) then .[$x | length:] else . end;
def rtrimstr($x): if endswith($x) and ($x | length) > 0 then .[:length - ($x | length)] else . end;
def trimstr($x): ltrimstr($x) | rtrimstr($x);
def trim: if type == "string" then _jaq_trim else error("trim input must be a string") end;
def ltrim: if type == "string" then _jaq_ltrim else error("trim input must be a string") end;
def rtrim: if type == "string" then _jaq_rtrim else error("trim input must be a string") end;
def utf8bytelength:
  if type == "string" then _jaq_utf8bytelength
  else _type_error("only strings have UTF-8 byte length") end;
def explode: if type == "string" then _jaq_explode else error("explode input must be a string") end;
def ascii_downcase:
  if type == "string" then _jaq_ascii_downcase else error("explode input must be a string") end;
def ascii_upcase:
  if type == "string" then _jaq_ascii_upcase else error("explode input must be a string") end;
# A code point that is not one (negative, past U+10FFFF, a surrogate) is U+FFFD; a
# fraction is cut off.
def implode:
  if type != "array" then error("implode input must be an array")
  else map(
      if type != "number" or isnan
      then _type_error("can't be imploded, unicode codepoint needs to be numeric")
      else (if . < 0 then ceil else floor end)
        | if . < 0 or . > 1114111 or (. >= 55296 and . <= 57343) then 65533 end
      end)
    | _jaq_implode
  end;
def ascii: if type == "number" and . >= 0 and . <= 127 then [.] | implode
  else error("ascii takes a number from 0 to 127") end;
def flatten($depth):
  if $depth < 0 then error("flatten depth must not be negative") else _jaq_flatten($depth) end;
# jq 1.8's join: null as "", numbers and booleans as text, anything else is an error.
def join($x): reduce .[] as $i (null;
    (if . == null then "" else . + $x end) as $done
    | ($i | if type == "boolean" or type == "number" then tostring elif . == null then "" end) as $s
    | if ($s | type) == "string" then $done + $s
      else error("string (\($done | _jqdump)) and \($s | type) (\($s | _jqdump)) cannot be added") end
  ) // "";

# Regular expressions, with jq's flags: `m` and `p` let `.` match a newline (jaq's `s`),
# `s` and `l` change nothing jaq can do, other letters are an error.
def _re_flags($flags):
  if $flags == null then ""
  elif ($flags | type) != "string" then $flags | _type_error("is not a string")
  else ($flags | _jaq_explode) as $letters
    | if all($letters[]; . as $l | any(103, 105, 108, 109, 110, 112, 115, 120; . == $l))
      then $letters | map(if . == 109 or . == 112 then 115 elif . == 115 or . == 108 then empty end)
        | _jaq_implode
      else error("\($flags) is not a valid modifier string") end
  end;
def test($re; $flags): _jaq_test($re; _re_flags($flags));
def match($re; $flags): _jaq_match($re; _re_flags($flags));
def capture($re; $flags): _jaq_capture($re; _re_flags($flags));
def scan($re; $flags): _jaq_scan($re; _re_flags($flags));
def split($re; $flags): _jaq_split($re; _re_flags($flags));
def splits($re; $flags): split($re; $flags)[];
def test($re): test($re; null);
def match($re): match($re; null);
def capture($re): capture($re; null);
def scan($re): scan($re; null);
def splits($re): splits($re; null);
# sub/gsub as jq 1.8: a replacement with several outputs gives one result per output
# (not every combination), and no match gives the input.
def sub($re; replacement; $flags):
  . as $in
  | (reduce split_matches($re; _re_flags($flags))[] as $part ({done: [], gap: ""};
      if ($part | type) == "array" then
        [$part | capture_of_match | replacement] as $inserts
        | .gap as $gap
        | reduce range(0; $inserts | length) as $i (.;
            if $i < (.done | length) then .done[$i] += $gap + $inserts[$i]
            else .done += [$gap + $inserts[$i]] end)
        | .gap = ""
      else .gap += $part end)
    | .done[] + .gap) // $in;
def sub($re; replacement): sub($re; replacement; "");
def gsub($re; replacement; $flags): sub($re; replacement; $flags + "g");
def gsub($re; replacement): sub($re; replacement; "g");

# Formats. @sh refuses arrays and objects inside, as jq does.
def @sh: [if type == "array" then .[] end
    | if type == "string" then "'\(escape_sh)'"
      elif type == "array" or type == "object" then _type_error("can not be escaped for shell")
      else tostring end
  ] | join(" ");
def @html: tostring | escape_html;
def @uri: tostring | encode_uri;
def @base64: tostring | encode_base64;
def @base64d: tostring | decode_base64;
def @base32: tostring | encode_base32;
def @base32d: tostring | decode_base32;
def @csv: map(
    if type == "string" then "\"" + (split("\"") | join("\"\"")) + "\""
    elif . == null then ""
    elif type == "number" or type == "boolean" then tostring
    else error("\(type) is not valid in a csv row") end
  ) | join(",");
def @tsv: map(
    if type == "string" then
      split("\\") | join("\\\\") | split("\t") | join("\\t")
      | split("\n") | join("\\n") | split("\r") | join("\\r") | split("\u0000") | join("\\0")
    elif . == null then ""
    elif type == "number" or type == "boolean" then tostring
    else error("\(type) is not valid in a tsv row") end
  ) | join("\t");

# jq 1.7's manual filters that jaq lacks.
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;
def del(f): reduce ([path(f)] | unique | reverse)[] as $p (.; delpaths([$p]));
def tostream: path(def r: (.[]? | r), .; r) as $p | getpath($p)
  | reduce path(.[]?) as $q ([$p, .]; [$p + $q]);
def truncate_stream(stream): . as $n | null | stream | . as $input
  | if (.[0] | length) > $n then setpath([0]; .[0][$n:]) else empty end;
def leaf_paths: paths(scalars);
def have_literal_numbers: true;
def have_decnum: false;
