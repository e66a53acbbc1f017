// Every sentence the calculator scripts write on the page, in both languages: [zh, en].
// (Regulation content — sign-off boxes, approvers, clause texts — comes from data/ or the engine.)

export const STAGE_TEXT = Object.freeze({
  boot: ["正在准备计算引擎…", "Preparing the calculation engine…"],
  fetch: ["正在下载计算引擎(Python/Pyodide)…", "Downloading the calculation engine (Python/Pyodide)…"],
  start: ["正在启动 Python…", "Starting Python…"],
  import: ["正在载入计算规则…", "Loading the calculators…"],
  ready: ["计算引擎已就绪:修改输入后结果自动更新。", "Engine ready: the result updates as you type."],
  failed: ["计算引擎无法启动,无法计算新的输入。", "The calculation engine could not start: new inputs cannot be computed."],
});

/** Why the engine cannot start, by cause (protocol.js CAUSES): the failure notice's first lines. */
export const FAILURE = Object.freeze({
  offline: [
    "计算引擎的文件无法下载:与本站的连接中断了(可能处于离线状态)。恢复连接后请点“重试”。",
    "The calculation engine's files could not be downloaded: the connection to this site was lost (you may be offline). Retry once you are connected again.",
  ],
  http: [
    "计算引擎的文件在服务器上缺失或被拒绝(网站可能正在更新)。请稍后点“重试”;若仍然失败,请告知网站管理员。",
    "The server is missing or refused a file of the calculation engine (the site may be being updated). Retry in a moment; if it still fails, tell the site's administrator.",
  ],
  corrupt: [
    "计算引擎的文件下载后已损坏或不完整(可能被代理或缓存截断)。请点“重试”重新下载。",
    "A file of the calculation engine arrived damaged or incomplete (a proxy or a cache may have cut it short). Retry to download it again.",
  ],
  stalled: [
    "计算引擎的文件下载中途停止了:数秒内没有收到任何数据(连接可能中断或极慢)。请点“重试”。",
    "The download of the calculation engine's files stopped part-way: no data arrived for several seconds (the connection may be lost or very slow). Retry.",
  ],
  unsupported: [
    "此浏览器无法运行计算引擎(Python/Pyodide):请使用支持 WebAssembly 和模块 Web Worker 的新版浏览器(如新版 Chrome、Edge、Firefox),并确认未禁用 WebAssembly。",
    "This browser cannot run the calculation engine (Python/Pyodide): use a recent browser with WebAssembly and module Web Workers (a current Chrome, Edge or Firefox), and check that WebAssembly is not disabled.",
  ],
  timeout: [
    "计算引擎启动停滞(文件可能被拦截或下载极慢)。请点“重试”。",
    "The calculation engine's start-up stalled (a file may be blocked, or the download is very slow). Retry.",
  ],
  error: [
    "计算引擎无法启动(Python/Pyodide)。请点“重试”;若仍然失败,可按条文自行计算,或使用命令行 python -m calculators。",
    "The calculation engine (Python/Pyodide) could not start. Retry; if it still fails, work from the clauses or use the command line python -m calculators.",
  ],
});

export const TEXT = Object.freeze({
  builtShown: [" 当前显示的是预先算好的示例结果。", " The example's result shown was computed in advance."],
  engineLine: [
    (mode, secs) => `由浏览器中的 Python 计算(Pyodide,${mode === "snapshot" ? "内存快照" : "常规"}启动,用时 ${secs} 秒)。`,
    (mode, secs) => `Computed by Python in your browser (Pyodide, ${mode === "snapshot" ? "snapshot" : "normal"} start in ${secs} s).`,
  ],
  rulesVersion: [(key) => `规则版本 ${key}。`, (key) => `Rules version ${key}.`],
  otherRules: [
    "计算引擎使用的规则版本与本页不同(网站已更新),结果未显示。请重新载入本页。",
    "The engine computed with another version of the rules than this page's (the site has been updated); the result is not shown. Reload this page.",
  ],
  timeout: [
    (s) => `计算引擎启动停滞超过 ${s} 秒(文件可能被拦截或缺失)。`,
    (s) => `The calculation engine's start-up made no progress within ${s} s (a file may be blocked or missing).`,
  ],
  invalidInput: ["输入有误。", "The input is not valid."],
  unreadableAnswer: ["计算引擎返回了无法读取的结果。", "The engine returned an unreadable answer."],
  notValid: ["(无效)", " (not valid)"],
  yes: ["是", "yes"],
  no: ["否", "no"],
  copied: ["已复制", "Copied"],
  copy: ["复制链接", "Copy link"],
  copyPrompt: ["复制此链接:", "Copy this link:"],
  rulesAsOf: [(date) => `依据 ${date} 起施行的规定计算。`, (date) => `Computed with the rules in force from ${date}.`],
  notComputed: ["(输入有误,未计算)", "(invalid input: not computed)"],
});

/** Why a shared link was refused (fragment.js), naming the field as the reader sees it. */
export function refusal(r, label) {
  const shown = r.shown || "";
  switch (r.reason) {
    case "size":
      return [
        `分享链接太长(${r.count} 个字符,最多 ${r.max} 个),未读取;下面显示的是示例输入。`,
        `The shared link is too long (${r.count} characters, at most ${r.max}) and was not read; the form shows the example instead.`,
      ];
    case "depth":
      return [
        `分享链接中的输入嵌套过深(${r.count} 层,最多 ${r.max} 层),未读取;下面显示的是示例输入。`,
        `The input in the shared link is nested too deeply (${r.count} levels, at most ${r.max}) and was not read; the form shows the example instead.`,
      ];
    case "bounds":
      return [
        `分享链接中“${label[0]}”有 ${r.count} 项,最多 ${r.max} 项,未读取;下面显示的是示例输入。`,
        `The shared link has ${r.count} items in “${label[1]}”, at most ${r.max} are allowed; it was not read and the form shows the example instead.`,
      ];
    case "encoding":
      return [
        `分享链接中有损坏的百分号转义“${r.bad || "%"}”(% 后须是两位十六进制数字,并组成 UTF-8 字符),链接未读取;下面显示的是示例输入。链接可能被截断或改动过。`,
        `The shared link has a broken percent escape “${r.bad || "%"}” (a % must be followed by two hexadecimal digits that spell UTF-8), so it was not read; the form shows the example instead. The link may have been cut short or altered.`,
      ];
    default:
      return [
        "分享链接中的输入无法读取(不是有效的 JSON),下面显示的是示例输入。链接内容:" + shown,
        "The input in the shared link cannot be read (it is not valid JSON); the form shows the example instead. The link had: " + shown,
      ];
  }
}

/** The heading of the result table's number column: what the lines hold, by the result's unit. */
export const AMOUNT_HEAD = Object.freeze({
  yuan: ["金额(元)", "Amount (yuan)"],
  days: ["天数", "Days"],
  points: ["得分", "Points"],
});
export const AMOUNT_HEAD_OTHER = ["数值", "Value"];

export function pick(pair, lang) {
  return lang === "en" ? pair[1] : pair[0];
}
