// The UI's words in English and Korean. t('key') in the current language; {name} placeholders filled from vars.

const STRINGS = {
  en: {
    skip: 'Skip to content', language: 'Language', signOut: 'Sign out', signedInAs: 'Signed in: {who}',
    navChat: 'Chat', navDocuments: 'Documents', navOperations: 'Operations',
    signInTitle: 'Sign in', signInIntro: 'Hanul asks for an API key on every request. Paste yours: an admin prints '
      + 'one at the first start, or makes one with "hanul keys create". The key stays in this tab only.',
    apiKey: 'API key', tenant: 'Tenant', tenantHint: 'Only for keys that are not bound to a tenant; empty means "default".',
    signIn: 'Sign in', signInFailed: 'Sign-in failed: {reason}', authOff: 'authentication is off',
    sessionExpired: 'The service refused the key: {reason}',
    conversations: 'Conversations', newChat: 'New chat', noConversations: 'No conversations yet.',
    question: 'Your question', send: 'Send', stop: 'Stop', copy: 'Copy', copied: 'Copied',
    regenerate: 'Regenerate', model: 'Model', prompt: 'Prompt', defaultChoice: 'Default',
    you: 'You', assistant: 'Hanul', sources: 'Sources', thinking: 'Answering…', stopped: 'Stopped.',
    answerDone: 'Answer complete: {tokens} tokens, first token after {ttft} ms.',
    helpful: 'Helpful', notHelpful: 'Not helpful', feedbackSaved: 'Thanks, feedback saved.',
    citationTitle: 'Source [{marker}]: {source}', close: 'Close', quoted: 'Quoted passage',
    useRetrieval: 'Answer from my documents',
    upload: 'Upload', dropHere: 'Drop files or folders here, or choose them:', chooseFiles: 'Choose files',
    chooseFolder: 'Choose a folder', tags: 'Tags', tagsHint: 'Comma-separated, stored as the tags metadata.',
    uploading: 'Uploading {count} files…', jobProgress: 'Job {id}: {done} of {total} documents, {indexed} of {chunks} chunks indexed',
    jobDone: 'Job {id} finished: {status}.',
    documentsTitle: 'Documents', filter: 'Filter by name', type: 'Type', allTypes: 'All types',
    searchContent: 'Search the content', search: 'Search', noDocuments: 'No documents.', delete: 'Delete',
    confirmDelete: 'Delete {id} and its chunks?', deleted: 'Deleted {id}.', chunks: 'Chunks', name: 'Name',
    size: 'Size', indexedAt: 'Indexed', actions: 'Actions', show: 'Show', chunkOf: 'Chunk {n}', tokens: 'tokens',
    showing: '{shown} of {total} documents', results: 'Results', noResults: 'Nothing found.',
    opsModels: 'Models', opsPrompts: 'Prompts', opsEval: 'Evaluation', opsMetrics: 'Metrics',
    opsInteractions: 'Interactions', version: 'Version', state: 'State', memory: 'Memory', inFlight: 'In flight',
    aliases: 'Aliases', load: 'Load', unload: 'Unload', alias: 'Alias', targets: 'Targets', rollback: 'Roll back',
    moveAlias: 'Point an alias at a version', setAlias: 'Move', canary: 'Canary', stable: 'Stable version',
    canaryVersion: 'Canary version', canaryWeight: 'Canary weight (%)', applySplit: 'Apply split',
    aliasMoved: 'Alias {alias} now serves {targets}.', notAllowed: 'This key may not see this: {reason}',
    labels: 'Labels', versions: 'Versions', label: 'Label', moveLabel: 'Move label', message: 'Message',
    runs: 'Runs', compare: 'Compare selected', status: 'Status', progress: 'Progress', metric: 'Metric',
    mean: 'Mean', difference: 'Δ', pValue: 'p', select: 'Select', items: 'Items', refresh: 'Refresh',
    metricsIntro: 'Read from /actuator/prometheus, the series Prometheus scrapes.',
    throughput: 'Throughput since the last refresh', throughputValue: '{tokens} tokens/s, {requests} requests/s over {seconds} s',
    driftThreshold: 'Drift above {threshold} (hanul.monitoring.drift.threshold) is marked.', series: 'Series', value: 'Value',
    running: 'Requests running', waiting: 'Requests waiting', kvUsage: 'KV cache usage',
    ttft: 'Mean time to first token', tpot: 'Mean time per output token', promptTokens: 'Prompt tokens',
    generationTokens: 'Generated tokens', drift: 'Drift (PSI)', quality: 'Quality scores (mean)',
    finished: 'Finished requests', when: 'When', api: 'API', answer: 'Answer', rating: 'Rating', any: 'Any',
    none: 'None', up: 'Up', down: 'Down', loading: 'Loading…', error: 'Error: {message}', home: 'Hanul',
  },
  ko: {
    skip: '본문으로 건너뛰기', language: '언어', signOut: '로그아웃', signedInAs: '로그인: {who}',
    navChat: '채팅', navDocuments: '문서', navOperations: '운영',
    signInTitle: '로그인', signInIntro: 'Hanul은 모든 요청에 API 키를 요구합니다. 키를 붙여 넣으세요. 관리자 키는 처음 시작할 때 '
      + '출력되며, "hanul keys create"로 새 키를 만들 수 있습니다. 키는 이 탭에만 보관됩니다.',
    apiKey: 'API 키', tenant: '테넌트', tenantHint: '테넌트에 묶이지 않은 키에만 해당합니다. 비우면 "default"입니다.',
    signIn: '로그인', signInFailed: '로그인 실패: {reason}', authOff: '인증이 꺼져 있음',
    sessionExpired: '서비스가 키를 거부했습니다: {reason}',
    conversations: '대화', newChat: '새 대화', noConversations: '아직 대화가 없습니다.',
    question: '질문', send: '보내기', stop: '중지', copy: '복사', copied: '복사됨',
    regenerate: '다시 생성', model: '모델', prompt: '프롬프트', defaultChoice: '기본값',
    you: '나', assistant: 'Hanul', sources: '출처', thinking: '답변 중…', stopped: '중지했습니다.',
    answerDone: '답변 완료: 토큰 {tokens}개, 첫 토큰까지 {ttft} ms.',
    helpful: '도움이 됨', notHelpful: '도움이 안 됨', feedbackSaved: '피드백을 저장했습니다.',
    citationTitle: '출처 [{marker}]: {source}', close: '닫기', quoted: '인용된 부분',
    useRetrieval: '내 문서에서 답변',
    upload: '업로드', dropHere: '파일이나 폴더를 여기에 끌어 놓거나 선택하세요:', chooseFiles: '파일 선택',
    chooseFolder: '폴더 선택', tags: '태그', tagsHint: '쉼표로 구분하며 tags 메타데이터로 저장됩니다.',
    uploading: '파일 {count}개 업로드 중…', jobProgress: '작업 {id}: 문서 {total}개 중 {done}개, 청크 {chunks}개 중 {indexed}개 색인됨',
    jobDone: '작업 {id} 완료: {status}.',
    documentsTitle: '문서', filter: '이름으로 거르기', type: '형식', allTypes: '모든 형식',
    searchContent: '내용 검색', search: '검색', noDocuments: '문서가 없습니다.', delete: '삭제',
    confirmDelete: '{id}와(과) 그 청크를 삭제할까요?', deleted: '{id}을(를) 삭제했습니다.', chunks: '청크', name: '이름',
    size: '크기', indexedAt: '색인 시각', actions: '작업', show: '보기', chunkOf: '청크 {n}', tokens: '토큰',
    showing: '문서 {total}개 중 {shown}개', results: '결과', noResults: '찾은 것이 없습니다.',
    opsModels: '모델', opsPrompts: '프롬프트', opsEval: '평가', opsMetrics: '지표',
    opsInteractions: '상호작용 기록', version: '버전', state: '상태', memory: '메모리', inFlight: '처리 중',
    aliases: '별칭', load: '적재', unload: '내리기', alias: '별칭', targets: '대상', rollback: '되돌리기',
    moveAlias: '별칭을 버전으로 옮기기', setAlias: '옮기기', canary: '카나리', stable: '안정 버전',
    canaryVersion: '카나리 버전', canaryWeight: '카나리 비중 (%)', applySplit: '분할 적용',
    aliasMoved: '별칭 {alias}이(가) 이제 {targets}을(를) 제공합니다.', notAllowed: '이 키로는 볼 수 없습니다: {reason}',
    labels: '레이블', versions: '버전', label: '레이블', moveLabel: '레이블 옮기기', message: '메시지',
    runs: '실행', compare: '선택한 실행 비교', status: '상태', progress: '진행', metric: '지표',
    mean: '평균', difference: 'Δ', pValue: 'p', select: '선택', items: '항목', refresh: '새로 고침',
    metricsIntro: 'Prometheus가 수집하는 /actuator/prometheus에서 읽습니다.',
    throughput: '마지막 새로 고침 이후 처리량', throughputValue: '{seconds}초 동안 초당 토큰 {tokens}개, 초당 요청 {requests}개',
    driftThreshold: '{threshold}(hanul.monitoring.drift.threshold)을 넘는 드리프트는 표시됩니다.', series: '시계열', value: '값',
    running: '실행 중인 요청', waiting: '대기 중인 요청', kvUsage: 'KV 캐시 사용률',
    ttft: '첫 토큰까지 평균 시간', tpot: '출력 토큰당 평균 시간', promptTokens: '프롬프트 토큰',
    generationTokens: '생성 토큰', drift: '드리프트 (PSI)', quality: '품질 점수 (평균)',
    finished: '완료된 요청', when: '시각', api: 'API', answer: '답변', rating: '평가', any: '전체',
    none: '없음', up: '좋음', down: '나쁨', loading: '불러오는 중…', error: '오류: {message}', home: 'Hanul',
  },
};

const STORE = 'hanul.lang';

export function language() {
  const chosen = localStorage.getItem(STORE);
  if (chosen && STRINGS[chosen]) return chosen;
  return navigator.language?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function setLanguage(lang) {
  localStorage.setItem(STORE, STRINGS[lang] ? lang : 'en');
  document.documentElement.lang = language();
}

export function t(key, vars = {}) {
  const text = STRINGS[language()][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

/** Both languages define the same keys (checked by the browser test through this). */
export function missingKeys() {
  const en = Object.keys(STRINGS.en);
  const ko = Object.keys(STRINGS.ko);
  return [...en.filter((k) => !ko.includes(k)), ...ko.filter((k) => !en.includes(k))];
}
