; Inno Setup script: Caseworker for one Windows user, no administrator rights.
;
; Built on Windows (see README, "Building on Windows"): first `python -m installer.build`
; (PyInstaller, one folder in dist\caseworker), then
;   iscc /DAppVersion=0.1.0 installer\windows\caseworker.iss
; which writes dist\caseworker-0.1.0-windows-setup.exe.
;
; - Per user: PrivilegesRequired=lowest installs into %LOCALAPPDATA%\Programs\Caseworker and
;   the user's Start menu; no UAC prompt, nothing for all users.
; - Upgrades in place: the same AppId finds the earlier install; its files are replaced.
; - The data folder (%LOCALAPPDATA%\Caseworker: database, key file, backups, logs) is the
;   app's, not the installer's: neither an upgrade nor the uninstaller touches it.
;   The app backs the database up and migrates it at the next login after an upgrade.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Caseworker"
#define AppNameZh "社保经办"
#define SourceDir "..\..\dist\caseworker"

[Setup]
; Never change AppId: it is how an upgrade finds the installed copy.
AppId={{5B1E7C1A-3F0D-4C5E-9A43-0C0A3B6E2F14}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Caseworker
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppNameZh}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=caseworker-{#AppVersion}-windows-setup
SetupIconFile=..\..\resources\icons\caseworker.ico
UninstallDisplayIcon={app}\caseworker.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The app must not run while its files are replaced.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
; The whole one-folder build; files an earlier version had and this one has not are removed
; by [InstallDelete] below, so an upgrade leaves no stale module behind.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\{#AppNameZh}"; Filename: "{app}\caseworker-gui.exe"; WorkingDir: "{app}"; Comment: "乡镇社会保障服务中心参保登记系统"
; The self-test in a console that stays open, so its words can be read.
Name: "{userprograms}\{#AppNameZh} 自检"; Filename: "{cmd}"; Parameters: "/k ""{app}\caseworker.exe"" --selftest"; WorkingDir: "{app}"
Name: "{userdesktop}\{#AppNameZh}"; Filename: "{app}\caseworker-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\caseworker-gui.exe"; Description: "{cm:LaunchProgram,{#AppNameZh}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. The data folder %LOCALAPPDATA%\Caseworker is deliberately absent:
; uninstalling the app never deletes a centre's records.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
// The new build checks itself before anyone relies on it; a failure is said, not hidden.
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
begin
  if CurStep = ssPostInstall then
  begin
    WizardForm.StatusLabel.Caption := '正在自检 / running the self-test…';
    if not Exec(ExpandConstant('{app}\caseworker.exe'), '--selftest', ExpandConstant('{app}'),
                SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
      MsgBox('自检未通过：请从开始菜单运行“社保经办 自检”查看缺少什么，并联系管理员。' + #13#10 +
             'The self-test failed: run "社保经办 自检" from the Start menu to see what is ' +
             'missing, and call your administrator.', mbError, MB_OK);
  end;
end;
