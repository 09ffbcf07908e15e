export const id = 497;
export const ids = [497];
export const modules = {

/***/ 8497:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runExplain: () => (/* binding */ runExplain)
/* harmony export */ });
/* harmony import */ var _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4196);
/* harmony import */ var _read_validate_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2626);
/* harmony import */ var _read_parse_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(379);
/* harmony import */ var _args_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7593);
/* harmony import */ var _io_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1604);





/** Suggestions shown for an unknown id, at most. */
const MAX_SUGGESTIONS = 8;
async function runExplain(argv, io) {
    const { positionals } = (0,_args_js__WEBPACK_IMPORTED_MODULE_3__/* .parse */ .qg)(argv, {}, true);
    if (positionals.length > 1) {
        io.stderr.write('agent-gate explain: give one rule id (agent-gate explain evals.threshold)\n');
        return _io_js__WEBPACK_IMPORTED_MODULE_4__/* .EXIT */ .dc.invalid;
    }
    const id = positionals[0]?.trim();
    if (id === undefined || id === '') {
        list(_gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .ALL_RULES */ .Uj, io);
        return _io_js__WEBPACK_IMPORTED_MODULE_4__/* .EXIT */ .dc.allow;
    }
    const rule = (0,_gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .findRule */ .Il)(id);
    if (rule) {
        explain(rule, io);
        return _io_js__WEBPACK_IMPORTED_MODULE_4__/* .EXIT */ .dc.allow;
    }
    const family = _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .ALL_RULES */ .Uj.filter((r) => r.family === id);
    if (family.length > 0) {
        list(family, io);
        return _io_js__WEBPACK_IMPORTED_MODULE_4__/* .EXIT */ .dc.allow;
    }
    const near = suggestions(id);
    io.stderr.write(`agent-gate explain: unknown rule ${JSON.stringify((0,_read_parse_js__WEBPACK_IMPORTED_MODULE_2__/* .excerpt */ .Kb)(id, 80))}.`);
    io.stderr.write(near.length > 0 ? ` Did you mean: ${near.join(', ')}?\n` : '\n');
    io.stderr.write('Run "agent-gate explain" to list every rule.\n');
    return _io_js__WEBPACK_IMPORTED_MODULE_4__/* .EXIT */ .dc.invalid;
}
function list(rules, io) {
    const width = Math.max(...rules.map((r) => r.id.length)) + 2;
    for (const r of rules)
        io.stdout.write(`${r.id.padEnd(width)}${r.severity.padEnd(11)}${r.title}\n`);
}
function explain(rule, io) {
    io.stdout.write([
        `${rule.id} — ${rule.title}`,
        `family: ${rule.family} · default severity: ${rule.severity} (override it under "rules:" in .github/agent-gate.yml)`,
        '',
        rule.description,
        '',
        `How to fix: ${rule.fix}`,
        ''
    ].join('\n'));
}
/** The closest ids (a typo in the id, or in the part after the family), then every id containing the text. */
function suggestions(text) {
    const query = text.toLowerCase();
    const byName = new Map(_gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .ALL_RULES */ .Uj.map((r) => [r.id.slice(r.family.length + 1), r.id]));
    const lastPart = query.includes('.') ? query.slice(query.indexOf('.') + 1) : query;
    const out = new Set();
    const close = (0,_read_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .nearest */ .pA)(query, _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .RULE_IDS */ .Iu);
    if (close)
        out.add(close);
    const closeName = (0,_read_validate_js__WEBPACK_IMPORTED_MODULE_1__/* .nearest */ .pA)(lastPart, [...byName.keys()]);
    if (closeName)
        out.add(byName.get(closeName));
    if (query.length >= 3) {
        for (const id of _gate_catalog_js__WEBPACK_IMPORTED_MODULE_0__/* .RULE_IDS */ .Iu)
            if (id.includes(query) || (lastPart.length >= 3 && id.includes(lastPart)))
                out.add(id);
    }
    return [...out].slice(0, MAX_SUGGESTIONS);
}


/***/ })

};
