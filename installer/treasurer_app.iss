; Inno Setup 6 script: installs the PyInstaller bundle dist\treasurer-app\ for the
; current user only (no administrator rights), like Picard's installer does.
;
; Build it with `python installer/build.py` on Windows, which passes:
;   /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 /DProjectExt=.tap
;   /DBundleDir=…\dist\treasurer-app /DOutputDir=…\dist /DRepoRoot=…
; and writes dist\treasurer-app-setup-{version}.exe.
;
; installer/wine_smoke.sh also passes /DWine: Wine 8 cannot expand {autopf} for a
; per-user install, so the folder it stands for is then spelled out (see [Setup]).
;
; This file is UTF-8 with a byte order mark: Inno Setup reads a file without
; one as ANSI, which would garble the Chinese texts below.

#ifndef AppVersion
  #error AppVersion is not defined: build with installer/build.py (it passes /DAppVersion from pyproject.toml)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
; The store's PROJECT_SUFFIX (treasurer_app/store.py); build.py passes the current value.
#ifndef ProjectExt
  #define ProjectExt ".tap"
#endif
#ifndef RepoRoot
  #define RepoRoot ".."
#endif
#ifndef BundleDir
  #define BundleDir RepoRoot + "\dist\treasurer-app"
#endif
#ifndef OutputDir
  #define OutputDir RepoRoot + "\dist"
#endif

#define AppName "工會福利專款助手"
#define AppFolder "treasurer-app"
#define AppExe "treasurer-app.exe"
#define ProgId "TreasurerApp.Project"
; platformdirs.user_data_dir("treasurer_app", appauthor=False) on Windows: %LOCALAPPDATA%\treasurer_app
#define DataFolder "treasurer_app"

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{AEEAC503-E1B7-475E-B09F-50E75BC2D816}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=treasurer_app
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安裝程式
; Per user, never elevated: {autopf} is then %LOCALAPPDATA%\Programs, {group} the user's Start menu.
PrivilegesRequired=lowest
#ifdef Wine
; Wine 8's SHGetKnownFolderPath(FOLDERID_UserProgramFiles) fails, so Setup cannot expand {autopf}:
; the same folder, written out. Real Windows keeps {autopf} (it follows a relocated known folder).
DefaultDirName={localappdata}\Programs\{#AppFolder}
#else
DefaultDirName={autopf}\{#AppFolder}
#endif
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; PySide6 6.x runs on 64-bit Windows 10 1809 and later only.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename=treasurer-app-setup-{#AppVersion}
SetupIconFile={#RepoRoot}\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
; Ask to close a running copy (its files are in use) instead of failing half-way.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; Traditional Chinese is an unofficial translation in Inno Setup 6 (Languages\Unofficial, not always
; installed; the npm package lacks it) and may become an official one: the compiler's own copy when
; it has one, else the copy committed in installer\vendor (see its README for source and licence).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseTraditional.isl")
Name: "chinesetraditional"; MessagesFile: "compiler:Languages\ChineseTraditional.isl"
#elif FileExists(RepoRoot + "\installer\vendor\ChineseTraditional.isl")
Name: "chinesetraditional"; MessagesFile: "{#RepoRoot}\installer\vendor\ChineseTraditional.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseTraditional.isl")
Name: "chinesetraditional"; MessagesFile: "compiler:Languages\Unofficial\ChineseTraditional.isl"
#else
  #error ChineseTraditional.isl not found in Inno Setup's Languages folder nor in installer\vendor
#endif

[CustomMessages]
AppDescription=港區工會福利專款的申請表、帳簿與匯出
AdditionalIconsGroup=其他捷徑：
DesktopIconTask=在桌面建立捷徑(&D)
LaunchAfterInstall=立即開啟{#AppName}
LicencesShortcut=第三方元件授權條款
ProjectFileType={#AppName}專案檔
DeleteDataPrompt=是否同時刪除您的工會資料？%n%n資料夾：%1%n%n建議選「否」保留資料：日後重新安裝即可繼續使用。%n選「是」會永久刪除所有年度的資料與備份，無法復原。
DeleteDataFailed=部分工會資料無法刪除，請在關閉所有程式後手動刪除此資料夾：%n%1

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; GroupDescription: "{cm:AdditionalIconsGroup}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle's libraries wholesale: stale modules of the old version must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:AppDescription}"
Name: "{group}\{cm:LicencesShortcut}"; Filename: "{app}\_internal\licenses"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{cm:AppDescription}"; Tasks: desktopicon

[Registry]
; The project file type, per user (HKCU\Software\Classes): icon and the "open" verb.
Root: HKCU; Subkey: "Software\Classes\{#ProjectExt}"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#ProjectExt}\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKCU; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:ProjectFileType}"; Flags: uninsdeletekey
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKCU; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKCU; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: "{#ProjectExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchAfterInstall}"; Flags: nowait postinstall skipifsilent

[Code]
// The user's unions live outside the program folder, in the platformdirs data
// folder, so uninstalling never touches them unless the user says so. The
// question defaults to "No" (keep), and a silent uninstall always keeps them.

function UserDataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#DataFolder}');
end;

procedure AskAndDeleteUserData();
var
  DataDir: String;
begin
  DataDir := UserDataDir();
  if not DirExists(DataDir) then
    exit;
  if SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteDataPrompt'), [DataDir]),
                        mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) <> IDYES then
    exit;
  if not DelTree(DataDir, True, True, True) then
    SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteDataFailed'), [DataDir]), mbError, MB_OK, IDOK);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  // After the program files are gone, so nothing of ours still holds the database open.
  if CurUninstallStep = usPostUninstall then
    AskAndDeleteUserData();
end;
