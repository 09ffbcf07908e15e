export const id = 446;
export const ids = [446];
export const modules = {

/***/ 4446:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runValidate: () => (/* binding */ runValidate)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3916);
/* harmony import */ var _pipeline_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(754);
/* harmony import */ var _read_fs_source_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4659);
/* harmony import */ var _read_git_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7320);
/* harmony import */ var _render_escape_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7789);
/* harmony import */ var _settings_defaults_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9563);
/* harmony import */ var _args_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7593);
/* harmony import */ var _git_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(6094);
/* harmony import */ var _io_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(1604);
/** agent-gate validate: records and configuration only; every error located. */










const OPTIONS = {
    repo: { type: 'string' },
    head: { type: 'string' },
    'head-dir': { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string' }
};
async function runValidate(argv, io) {
    const { values } = (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .parse */ .qg)(argv, OPTIONS);
    const format = (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .oneOf */ .yL)(values.format, ['text', 'json'], '--format', 'text');
    const headDir = (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values['head-dir']);
    let source;
    if (headDir !== undefined) {
        if ((0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values.repo) !== undefined || (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values.head) !== undefined) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .SettingsError */ .GN('--head-dir reads a directory; --repo and --head read git: use one or the other');
        }
        source = new _read_fs_source_js__WEBPACK_IMPORTED_MODULE_3__/* .WorkingTreeSource */ .T(await (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .existingDirectory */ .Nv)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(io.cwd, headDir), '--head-dir'), 'head');
    }
    else {
        const repo = await (0,_git_js__WEBPACK_IMPORTED_MODULE_8__/* .gitRepository */ .x)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(io.cwd, (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values.repo) ?? '.'), 'validate', values.repo !== undefined);
        const ref = (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values.head);
        source = ref
            ? new _read_git_js__WEBPACK_IMPORTED_MODULE_4__/* .GitTreeSource */ .kQ(repo, await (0,_git_js__WEBPACK_IMPORTED_MODULE_8__/* .userRevision */ .D)(repo, ref, '--head'), 'head')
            : new _read_fs_source_js__WEBPACK_IMPORTED_MODULE_3__/* .WorkingTreeSource */ .T(repo, 'head');
    }
    let result;
    try {
        await (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .requireConfig */ .Eu)((0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values.config), [source]);
        result = await (0,_pipeline_js__WEBPACK_IMPORTED_MODULE_2__/* .checkRecords */ .fi)(source, (0,_args_js__WEBPACK_IMPORTED_MODULE_7__/* .str */ .gx)(values.config) ?? _settings_defaults_js__WEBPACK_IMPORTED_MODULE_6__/* .INPUT_DEFAULTS */ .WJ.config);
    }
    finally {
        if (source instanceof _read_git_js__WEBPACK_IMPORTED_MODULE_4__/* .GitTreeSource */ .kQ)
            source.close();
    }
    if (format === 'json') {
        io.stdout.write(JSON.stringify({ valid: result.issues.length === 0, ...result }, null, 2) + '\n');
    }
    else {
        for (const issue of result.issues) {
            const hint = issue.hint ? ` (${issue.hint})` : '';
            io.stdout.write((0,_render_escape_js__WEBPACK_IMPORTED_MODULE_5__/* .safeLogLine */ .AL)(`${(0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .formatIssueLocation */ .wS)(issue)}: ${issue.message}${hint} [${issue.code}]`) + '\n');
        }
        const cfg = result.configFile ?? 'defaults (no configuration file)';
        io.stdout.write(result.issues.length === 0
            ? `✓ ${result.records} record(s) in ${result.files} file(s) are valid (configuration: ${cfg})\n`
            : `✗ ${result.issues.length} problem(s) in records or configuration (configuration: ${cfg})\n`);
    }
    return result.issues.length === 0 ? _io_js__WEBPACK_IMPORTED_MODULE_9__/* .EXIT */ .dc.allow : _io_js__WEBPACK_IMPORTED_MODULE_9__/* .EXIT */ .dc.invalid;
}


/***/ })

};
